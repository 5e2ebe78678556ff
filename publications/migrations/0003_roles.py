"""Create the three staff roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from publications.roles import ROLES, roles_sync

def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_label in ("people", "publications"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_person_is_expert_opt_in"),
        ("publications", "0002_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
