from django_tasks import task

from portfolios.services.cohort_import import cohort_upload_run


@task()
def import_cohort_upload(upload_id: str) -> str:
    """Import a cohort file too large to import while the coordinator's page waits."""
    return cohort_upload_run(upload_id=upload_id)
