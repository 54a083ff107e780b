"""The services: the only callers of the loaders and of the layers below them."""
