"""SQS keeps moto's URLs and response class."""

from moto.sqs.urls import url_bases, url_paths

__all__ = ["url_bases", "url_paths"]
