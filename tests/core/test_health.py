import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client: Client, settings) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["broker"] in ("ok", "in-process")
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
@pytest.mark.celery_worker
def test_healthz_with_real_redis_broker(client: Client, settings) -> None:
    with override_settings(CELERY_BROKER_URL=settings.REAL_BROKER_URL):
        response = client.get("/healthz")
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_dead_broker(client: Client) -> None:
    # nothing listens on port 1
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
