"""One production installation for every module here (migrating a fresh database takes about a minute): each
module starts and stops the servers on it with the environment it needs."""

import pytest

from .cluster import OFFICER_REGION, PASSWORD, Cluster


@pytest.fixture(scope="package")
def installed(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("deployment"))
    try:
        cluster.install()
        cluster.shell(
            "from casestudies.models import Region\n"
            "from casestudies.services import moderator_create, officer_create\n"
            f"officer_create(region=Region.objects.get(code={OFFICER_REGION!r}), username='petugas-sumedang',"
            f" email='petugas@example.go.id', password={PASSWORD!r})\n"
            f"moderator_create(username='moderator', email='moderator@example.go.id', password={PASSWORD!r})\n"
        )
        yield cluster
    finally:
        cluster.stop()
        cluster.database.drop()
