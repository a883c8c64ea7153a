from django.db import migrations, models

import desadevisa.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("regions", "0002_village_search_trigram"),
    ]

    operations = [
        migrations.RenameField(model_name="productphoto", old_name="image", new_name="full"),
        migrations.AlterField(
            model_name="productphoto",
            name="full",
            field=models.FileField(
                max_length=200,
                upload_to=desadevisa.core.models.photo_upload_to,
                verbose_name="photo",
            ),
        ),
        migrations.AddField(
            model_name="productphoto",
            name="card",
            field=models.FileField(
                default="",
                max_length=200,
                upload_to=desadevisa.core.models.photo_upload_to,
                verbose_name="card rendition",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="productphoto",
            name="thumbnail",
            field=models.FileField(
                default="",
                max_length=200,
                upload_to=desadevisa.core.models.photo_upload_to,
                verbose_name="thumbnail rendition",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="productphoto",
            name="width",
            field=models.PositiveIntegerField(default=0, verbose_name="width"),
        ),
        migrations.AddField(
            model_name="productphoto",
            name="height",
            field=models.PositiveIntegerField(default=0, verbose_name="height"),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.UniqueConstraint(
                fields=("village", "name_id"),
                name="product_unique_name_per_village",
                violation_error_message="This village already has a product with this name.",
            ),
        ),
    ]
