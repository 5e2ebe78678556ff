"""Create the three staff roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_PEOPLE = ["people.view_person", "people.view_fellowship", "people.view_appointment"]
VIEW_TAXONOMY = [
    "publications.view_publicationtype",
    "publications.view_topic",
    "publications.view_region",
    "publications.view_tag",
]
WRITE_PIECES = [
    "publications.add_publication",
    "publications.change_publication",
    "publications.view_publication",
    "publications.add_authorship",
    "publications.change_authorship",
    "publications.delete_authorship",
    "publications.view_authorship",
    "publications.add_tag",
]
ROLES = {
    # Write pieces and submit them for review; the admin limits them to their own unpublished ones.
    "Contributors": WRITE_PIECES + VIEW_PEOPLE + VIEW_TAXONOMY,
    # Edit every piece; publish, schedule, unpublish, archive and delete.
    "Editors": WRITE_PIECES
    + VIEW_PEOPLE
    + VIEW_TAXONOMY
    + ["publications.publish_publication", "publications.delete_publication", "publications.change_tag"],
    # Everything on pieces, people, fellowships, appointments and the taxonomy.
    "Administrators": None,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_label in ("people", "publications"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codes is None:
            permissions = Permission.objects.filter(content_type__app_label__in=("people", "publications"))
        else:
            permissions = [
                Permission.objects.get(content_type__app_label=code.split(".")[0], codename=code.split(".")[1])
                for code in codes
            ]
        group.permissions.set(permissions)


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
