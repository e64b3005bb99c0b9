def home(request):
    raise NotImplementedError


def authority_detail(request, gss_code):
    raise NotImplementedError
