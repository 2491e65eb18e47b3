"""The newsroom's roles: the Writer and Editor groups and their permissions.

One definition, used by the data migration and by ``manage.py setup_roles``. Running
either again changes nothing: each group ends up with exactly the permissions below.
Members also need ``is_staff`` to log in to the admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

WRITER = "Writer"
EDITOR = "Editor"

ALL = ("add", "change", "delete", "view")

# (app label, model name) -> actions
WRITER_PERMISSIONS = {
    ("articles", "article"): ("add", "change", "view"),
    # Tagging an article: its mentions are inline rows the writer edits.
    ("articles", "organizationmention"): ALL,
    ("articles", "personmention"): ALL,
    ("articles", "technologymention"): ALL,
    ("articles", "topic"): ("view",),
    ("articles", "author"): ("view",),
    ("articles", "articleauthor"): ALL,
    ("articles", "image"): ("add", "change", "view"),
    ("articles", "source"): ("view",),
    ("articles", "correction"): ("view",),
    ("organizations", "organization"): ("view",),
    ("organizations", "person"): ("view",),
    ("organizations", "technology"): ("view",),
}

EDITOR_PERMISSIONS = {
    ("articles", "article"): (*ALL, "publish_article"),
    ("articles", "organizationmention"): ALL,
    ("articles", "personmention"): ALL,
    ("articles", "technologymention"): ALL,
    ("articles", "topic"): ALL,
    ("articles", "author"): ALL,
    ("articles", "articleauthor"): ALL,
    ("articles", "image"): ALL,
    ("articles", "source"): ALL,
    ("articles", "correction"): ALL,
    ("articles", "redirect"): ALL,
    ("organizations", "organization"): ALL,
    ("organizations", "person"): ALL,
    ("organizations", "technology"): ALL,
    ("organizations", "technologystake"): ALL,
    ("organizations", "affiliation"): ALL,
    ("organizations", "organizationcitation"): ALL,
    ("organizations", "personcitation"): ALL,
    ("organizations", "technologycitation"): ALL,
    ("investments", "investment"): ALL,
    ("investments", "investororganization"): ALL,
    ("investments", "investorperson"): ALL,
    ("investments", "recipientorganization"): ALL,
    ("investments", "recipientperson"): ALL,
    ("investments", "event"): ALL,
    ("investments", "eventorganization"): ALL,
    ("investments", "eventperson"): ALL,
}

ROLES = {WRITER: WRITER_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS}


def _codename(action, model_name):
    return action if action not in ALL else f"{action}_{model_name}"


def setup_roles(apps=global_apps, using="default"):
    """Create or update the Writer and Editor groups; return the names of groups changed."""
    # In a fresh database the permissions are only created after all migrations ran
    # (post_migrate): create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=using)
        finally:
            app_config.models_module = models_module

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    changed = []
    for name, grants in ROLES.items():
        wanted = set()
        for (app_label, model_name), actions in grants.items():
            try:
                apps.get_model(app_label, model_name)
            except LookupError:
                continue  # a model later migrations add: their own migration grants it
            for action in actions:
                permission = permission_model.objects.using(using).get(
                    content_type__app_label=app_label,
                    content_type__model=model_name,
                    codename=_codename(action, model_name),
                )
                wanted.add(permission.pk)
        group, created = group_model.objects.using(using).get_or_create(name=name)
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != wanted:
            group.permissions.set(wanted)
            changed.append(name)
    return changed
