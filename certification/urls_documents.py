"""URLs of the certificate documents (filled in by the documents module)."""

urlpatterns: list = []
