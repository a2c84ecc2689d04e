"""URLs of the certificate credentials (filled in by the credentials module)."""

urlpatterns: list = []
