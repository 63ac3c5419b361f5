"""`nhiemvu serve`: the review page, a local web application over the register.

Server-rendered (Flask + Jinja2 templates in pipeline/web/templates, assets in pipeline/web/static; nothing is
fetched from outside). Every change the officer makes goes through the register's audited methods.
"""
from pipeline.web.app import create_app

__all__ = ["create_app"]
