"""The three staff roles, as groups with their permissions."""

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


def roles_sync(Group=None, Permission=None):
    """Create the role groups if missing and give each exactly its permissions.

    Takes the models as arguments so a migration can pass its historical ones.
    """
    if Group is None:
        from django.contrib.auth.models import Group, Permission
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codes is None:
            permissions = Permission.objects.filter(content_type__app_label__in=("people", "publications"))
        else:
            permissions = [
                Permission.objects.get(
                    content_type__app_label=code.split(".")[0], codename=code.split(".")[1]
                )
                for code in codes
            ]
        group.permissions.set(permissions)
