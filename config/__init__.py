# Load Celery with Django so that @shared_task binds to our app (Celery's Django guide).
from config.celery_app import app as celery_app

__all__ = ("celery_app",)
