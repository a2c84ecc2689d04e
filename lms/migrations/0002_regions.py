"""Reference data: the 17 regions and 3 cities of republican significance."""

from django.db import migrations

REGIONS = [
    # code, kind, Kazakh, Russian, English
    ("abai", "region", "Абай облысы", "Абайская область", "Abai Region"),
    ("akmola", "region", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("aktobe", "region", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("almaty-region", "region", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("atyrau", "region", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (
        "east-kazakhstan",
        "region",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
    ),
    ("jambyl", "region", "Жамбыл облысы", "Жамбылская область", "Jambyl Region"),
    ("jetisu", "region", "Жетісу облысы", "Область Жетісу", "Jetisu Region"),
    ("karaganda", "region", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("kostanay", "region", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("kyzylorda", "region", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("mangystau", "region", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    (
        "north-kazakhstan",
        "region",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
    ),
    ("pavlodar", "region", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    ("turkistan", "region", "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("ulytau", "region", "Ұлытау облысы", "Область Улытау", "Ulytau Region"),
    (
        "west-kazakhstan",
        "region",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
    ),
    ("astana", "city", "Астана қаласы", "город Астана", "Astana"),
    ("almaty", "city", "Алматы қаласы", "город Алматы", "Almaty"),
    ("shymkent", "city", "Шымкент қаласы", "город Шымкент", "Shymkent"),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("lms", "Region")
    for code, kind, name_kk, name_ru, name_en in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={"kind": kind, "name_kk": name_kk, "name_ru": name_ru, "name_en": name_en},
        )


def unload_regions(apps, schema_editor):
    apps.get_model("lms", "Region").objects.filter(code__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0001_initial")]

    operations = [migrations.RunPython(load_regions, unload_regions)]
