"""Write static/maps/world.svg, the map's country outlines, from the pygal_maps_world package."""

from django.core.management.base import BaseCommand

from lenrnews.worldmap import STATIC_PATH, build_world_svg, source_svg


class Command(BaseCommand):
    help = "Write static/maps/world.svg (country outlines for the organizations map) from pygal_maps_world."

    def handle(self, *args, **options):
        STATIC_PATH.parent.mkdir(parents=True, exist_ok=True)
        STATIC_PATH.write_text(build_world_svg(source_svg()))
        self.stdout.write(self.style.SUCCESS(f"Wrote {STATIC_PATH.name} ({STATIC_PATH.stat().st_size:,} bytes)."))
