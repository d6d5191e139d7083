"""A believable slice of the programme, drawn from the seeds in shared/seeds (guide and news reports)."""

PROVINCES = {"Maluku": "81", "Nusa Tenggara Timur": "53"}

KABUPATEN = [
    # name, province, code, timezone
    ("Seram Bagian Timur", "Maluku", "8105", "Asia/Jayapura"),
    ("Sumba Barat Daya", "Nusa Tenggara Timur", "5318", "Asia/Makassar"),
]

KECAMATAN = {
    "Seram Bagian Timur": {
        "Pulau Gorom": ["X", "Ondor", "Kataloka", "Rumeon"],
        "Pulau Panjang": ["Argam", "Magat", "Kilbon Kway"],
        "Gorom Timur": ["Dai", "Miran", "Amarsekaru"],
        "Teluk Waru": ["Namaandan", "Kilwaru", "Waru"],
    },
    "Sumba Barat Daya": {
        "Kodi Balaghar": ["Wainyapu", "Waimakaha", "Kahale"],
        "Wewewa Barat": ["Magho Linyo", "Kalembu Ndara Mane", "Bondo Boghila"],
        "Loura": ["Tema Tana", "Karuni", "Lete Konda"],
    },
}

OPDS = [
    # short name, full name, sector
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "governance"),
    ("Dinas Pertanian", "Dinas Pertanian", "agriculture"),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", "planning"),
    ("P3MD", "Tenaga Pendamping Profesional P3MD (pendamping desa)", "facilitation"),
    ("DKP", "Dinas Kelautan dan Perikanan", "fisheries"),
    ("Dinas Kesehatan", "Dinas Kesehatan", "health"),
]

DEMO_PASSWORD = "bangkit-demo-2024"

USERS = [
    # username, full name, role, scope kind, scope value(s)
    ("admin", "Admin Program", "admin", None, None),
    ("pokja.sbt", "Ketua Pokja SBT", "pokja", "kabupaten", "Seram Bagian Timur"),
    ("pokja.sbd", "Sekretariat Forum SBD", "pokja", "kabupaten", "Sumba Barat Daya"),
    ("kec.gorom", "Staf Kecamatan Pulau Gorom", "kecamatan", "kecamatan", ("Seram Bagian Timur", "Pulau Gorom")),
    ("kec.panjang", "Staf Kecamatan Pulau Panjang", "kecamatan", "kecamatan", ("Seram Bagian Timur", "Pulau Panjang")),
    ("kec.telukwaru", "Staf Kecamatan Teluk Waru", "kecamatan", "kecamatan", ("Seram Bagian Timur", "Teluk Waru")),
    ("kec.kodi", "Staf Kecamatan Kodi Balaghar", "kecamatan", "kecamatan", ("Sumba Barat Daya", "Kodi Balaghar")),
    ("opd.pertanian", "Petugas Dinas Pertanian SBT", "opd", "opd", ("Seram Bagian Timur", "Dinas Pertanian")),
    ("opd.dpmd", "Petugas DPMD SBT", "opd", "opd", ("Seram Bagian Timur", "DPMD")),
    ("opd.pertanian.sbd", "Petugas Dinas Pertanian SBD", "opd", "opd", ("Sumba Barat Daya", "Dinas Pertanian")),
]

FUNDING = ["Dana Desa", "CSR", "BUMDES", "Swadaya", "Dinas Pertanian", "APBD Kabupaten"]

# The guide's Matriks 1 example for "Desa X".
DESA_X_PLAN = [
    {
        "statement": "Semua warga terbebas dari hutang pada rentenir",
        "target": "Semua warga terbebas dari hutang pada rentenir (di tahun 2025).",
        "target_year": 2025,
        "intermediate": [("Petani punya alternatif penjualan hasil panen dengan harga stabil saat panen",
                          "dicapai di tahun 2025")],
        "activities": [
            ("Musyawarah penetapan penyertaan modal di BUMDES",
             "Alokasi Dana untuk modal ditetapkan di musyawarah desa akhir tahun 2023.", ["Dana Desa"]),
            ("Penyerahan modal Desa di BUMDES", "Dana dialokasikan di pencairan dana desa tahap I 2024.",
             ["Dana Desa"]),
            ("Pelatihan pengelolaan unit usaha BUMDES", "Pelatihan pengelolaan BUMDES dilakukan 3 hari di Januari 2024.",
             ["CSR"]),
            ("Pembuatan business plan BUMDES",
             "Dikerjakan sebagai bagian dari pelatihan dan dikembangkan sebagai bagian tugas pengurus.",
             ["CSR", "BUMDES"]),
            ("Sosialisasi program pembelian hasil panen oleh BUMDES",
             "Dilakukan dalam kegiatan-kegiatan masyarakat di tingkat desa.", []),
            ("Pembelian hasil panen yang dijual petani oleh BUMDES",
             "Pembelian dilakukan sesuai ketentuan yang telah disosialisasikan.", ["BUMDES"]),
            ("Penyimpanan hasil pembelian di BUMDES",
             "Disimpan di gudang yang ditentukan dan dilepas kembali ke pasar saat/pada harga normal.", ["BUMDES"]),
        ],
    },
    {
        "statement": "Serangan hama dapat diatasi",
        "target": "Hama jagung terkendali, minimal 75% ladang jagung terbebas dari serangan hama xx di tahun 2024, "
                  "dan 100% ladang jagung di desa terbebas dari hama xx di tahun 2025.",
        "target_year": 2025,
        "intermediate": [("Hama jagung terkendali di 75% ladang", "75% ladang di tahun 2024"),
                         ("Seluruh ladang jagung bebas hama xx", "100% ladang di tahun 2025")],
        "activities": [
            ("Sosialisasi manfaat kelompok tani",
             "Pertemuan sosialisasi khusus dilakukan 1 kali bagi semua warga desa (di bulan Februari 2024).",
             ["Dana Desa", "Dinas Pertanian"]),
            ("Pertemuan periodik kelompok tani jagung", "Pertemuan dilakukan tiap bulan.", ["Swadaya"]),
            ("Pelatihan penanganan hama xx di kelompok tani jagung", "Pelatihan dilakukan dalam pertemuan.",
             ["Dinas Pertanian", "Swadaya"]),
            ("Penerapan penanganan hama oleh petani", "Dilakukan masing-masing petani di ladangnya.", ["Swadaya"]),
            ("Konsultasi pelaksanaan penanganan hama dengan penyuluh di kelompok tani",
             "Dilakukan dalam pertemuan kelompok tani.", ["Swadaya", "Dinas Pertanian"]),
        ],
    },
]

# A short plan for the other villages, so every sheet has something to show.
GENERIC_PLAN = [
    {
        "statement": "Pendapatan nelayan meningkat",
        "target": "Pendapatan rata-rata nelayan naik 20% di tahun 2025.",
        "target_year": 2025,
        "intermediate": [("Hasil tangkapan diolah sebelum dijual", "50% hasil tangkapan diolah")],
        "activities": [
            ("Pelatihan pengolahan ikan asin dan abon", "Bersama kelompok perempuan nelayan.", ["DKP", "Dana Desa"]),
            ("Pengadaan para-para penjemuran ikan", "Dua unit di dekat dermaga.", ["Dana Desa"]),
        ],
    },
    {
        "statement": "Ketahanan pangan keluarga terjaga",
        "target": "Setiap rumah tangga punya kebun pangan di tahun 2025.",
        "target_year": 2025,
        "intermediate": [("Kebun pangan keluarga berjalan", "60% rumah tangga")],
        "activities": [
            ("Pembagian bibit sayur dan umbi", "Sebelum musim hujan.", ["Dinas Pertanian", "Swadaya"]),
        ],
    },
]
