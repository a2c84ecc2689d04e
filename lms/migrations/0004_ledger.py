"""The ledger: append-only, hash-chained entries and one head row per chain.

On PostgreSQL a trigger refuses every UPDATE and DELETE of an entry, whoever asks (the
application's own connection included). There is no TRUNCATE trigger: the test runner
and ``manage.py flush`` empty tables with TRUNCATE. SQLite has no such guard; there the
hash chain still shows any change (``manage.py verify_history``).
"""

from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION lms_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lms_ledgerentry is append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER lms_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON lms_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION lms_ledger_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS lms_ledgerentry_append_only ON lms_ledgerentry;
DROP FUNCTION IF EXISTS lms_ledger_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0003_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerHead',
            fields=[
                ('chain', models.CharField(max_length=50, primary_key=True, serialize=False, verbose_name='chain')),
                ('last_sequence', models.PositiveBigIntegerField(default=0, verbose_name='last sequence')),
                ('last_hash', models.CharField(max_length=64, verbose_name='last hash')),
            ],
            options={
                'verbose_name': 'ledger head',
                'verbose_name_plural': 'ledger heads',
            },
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.CharField(max_length=50, verbose_name='chain')),
                ('sequence', models.PositiveBigIntegerField(verbose_name='sequence')),
                ('subject', models.CharField(max_length=100, verbose_name='subject')),
                ('action', models.CharField(max_length=50, verbose_name='action')),
                ('payload', models.JSONField(default=dict, verbose_name='payload')),
                ('actor', models.CharField(max_length=254, verbose_name='actor')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('previous_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                ('entry_hash', models.CharField(max_length=64, verbose_name='hash')),
            ],
            options={
                'verbose_name': 'ledger entry',
                'verbose_name_plural': 'ledger entries',
                'indexes': [models.Index(fields=['chain', 'subject'], name='lms_ledger_chain_subject')],
                'constraints': [models.UniqueConstraint(fields=('chain', 'sequence'), name='lms_ledger_chain_sequence')],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
