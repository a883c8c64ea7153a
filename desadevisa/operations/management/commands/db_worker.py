from django_tasks_db.management.commands import db_worker

from desadevisa.core.health import worker_heartbeat_start


class Command(db_worker.Command):
    help = db_worker.Command.help + " Writes a heartbeat for /readyz every 20 seconds."

    def handle(self, *args, **options):
        worker_heartbeat_start()
        return super().handle(*args, **options)
