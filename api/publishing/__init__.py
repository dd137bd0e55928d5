"""/content/{id}/publish: publishing, its status, retry and unpublish."""
