"""The monthly returns: models, validation, forms, services, selectors, uploads, views and urls,
under /returns/."""
