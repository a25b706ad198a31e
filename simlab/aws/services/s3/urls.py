"""S3 keeps moto's URLs and response class."""

from moto.s3.urls import url_bases, url_paths

__all__ = ["url_bases", "url_paths"]
