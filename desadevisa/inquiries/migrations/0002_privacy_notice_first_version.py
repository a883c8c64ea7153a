"""The first privacy notice of the inquiry form, in Indonesian and English.

``{retention_days}`` is replaced when the notice is shown, by the setting
INQUIRY_RETENTION_DAYS, so the notice always states the period actually applied.
"""

import datetime

from django.db import migrations

TEXT_ID = """Pemberitahuan privasi untuk formulir permintaan pembeli

Siapa yang memproses data Anda
Data yang Anda kirim melalui formulir permintaan diproses oleh program Desa Devisa dari Lembaga Pembiayaan Ekspor Indonesia (LPEI, Indonesia Eximbank) dan oleh koperasi, asosiasi, atau unit usaha yang membuat produk yang Anda tanyakan.

Untuk apa data Anda dipakai
Kami memakai data Anda hanya untuk menjawab permintaan Anda dan untuk menindaklanjutinya sampai menjadi ekspor: menghubungi Anda, mengirim contoh produk, penawaran, dan pesanan. Kami tidak menjual data Anda dan tidak memakainya untuk iklan.

Data yang kami simpan
Nama, perusahaan, negara, alamat e-mail, nomor telepon, jumlah yang diminta, pesan Anda, pameran tempat Anda melihat produk (jika ada), bahasa formulir, serta waktu dan versi pemberitahuan ini saat Anda memberi persetujuan.

Berapa lama data disimpan
Data pribadi Anda (nama, perusahaan, e-mail, telepon, dan pesan) dihapus dari permintaan {retention_days} hari setelah permintaan dikirim. Setelah itu hanya tersisa data tanpa identitas untuk statistik program: produk, negara, status, dan tanggal.

Hak Anda
Berdasarkan Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi, Anda berhak meminta akses ke data Anda, memperbaiki data yang salah, meminta penghapusan data, dan menarik kembali persetujuan Anda kapan saja. Penarikan persetujuan tidak memengaruhi pemrosesan yang sudah dilakukan sebelumnya.

Kontak
Untuk memakai hak Anda atau bertanya tentang pemberitahuan ini, hubungi tim program Desa Devisa di LPEI dan sebutkan produk yang Anda tanyakan serta tanggal permintaan Anda. Kami menjawab paling lambat 3 x 24 jam."""

TEXT_EN = """Privacy notice for the buyer inquiry form

Who processes your data
The details you send with the inquiry form are processed by the Desa Devisa programme of Indonesia Eximbank (Lembaga Pembiayaan Ekspor Indonesia, LPEI) and by the cooperative, association or craft unit that makes the product you ask about.

What your data is used for
We use your details only to answer your inquiry and to follow it up until it becomes an export: contacting you, sending samples, quotes and orders. We do not sell your data and do not use it for advertising.

What we keep
Your name, company, country, e-mail address, phone number, the quantity you ask for, your message, the exhibition where you saw the product (if any), the language of the form, and the time and version of this notice when you gave your consent.

How long we keep it
Your personal details (name, company, e-mail, phone and message) are removed from the inquiry {retention_days} days after it was sent. Only data that no longer identifies you remains for the programme's statistics: the product, country, status and dates.

Your rights
Under Indonesia's Personal Data Protection Law (Law No. 27 of 2022), you may ask for access to your data, have wrong data corrected, ask for your data to be erased, and withdraw your consent at any time. Withdrawing consent does not affect processing that took place before.

Contact
To use your rights or ask about this notice, contact the Desa Devisa programme team at LPEI and name the product you asked about and the date of your inquiry. We answer within 3 x 24 hours."""


def notice_create(apps, schema_editor):
    PrivacyNotice = apps.get_model("inquiries", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={
            "published_on": datetime.date(2022, 3, 1),
            "text_id": TEXT_ID,
            "text_en": TEXT_EN,
        },
    )


def notice_delete(apps, schema_editor):
    PrivacyNotice = apps.get_model("inquiries", "PrivacyNotice")
    PrivacyNotice.objects.filter(version=1, consents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    operations = [migrations.RunPython(notice_create, notice_delete)]
