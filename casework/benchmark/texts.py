"""Word material for synthetic cases: obstacles, causes, solutions and resolutions as a kecamatan would write them.

Each text is built from a few parts so that 1,000,000 cases carry a realistic
spread of words (thousands of distinct sentences over a few hundred words) for
the full-text search to work on, without copying any real record.
"""
from __future__ import annotations

import random

SUBJECTS = [
    "Laporan keuangan desa", "Pencairan Dana Desa", "Modal usaha BUMDES", "Penyuluh pertanian",
    "Bibit jagung dari dinas", "Pupuk bersubsidi", "Kelompok tani rumput laut", "Pembangunan embung",
    "Air bersih dusun", "Jalan tani", "Posyandu", "Bidan desa", "Kapal motor nelayan", "Cold storage ikan",
    "Sertifikat tanah warga", "Data penerima bantuan sosial", "Pelatihan tenun ikat", "Pasar desa",
    "Listrik tenaga surya", "Sinyal telepon", "Perahu ketinting", "Gudang hasil panen", "Kebun kelapa",
    "Ternak babi", "Vaksin ternak", "Jaringan irigasi", "Sumur bor", "Koperasi simpan pinjam",
    "Operator Siskeudes", "Musyawarah desa", "Dokumen RKPDesa", "Bantuan benih padi", "Alat pengering kopi",
    "Pengolahan sagu", "Kios pupuk", "Guru PAUD", "Puskesmas pembantu", "Ambulans desa",
]
PROBLEMS = [
    "terlambat disampaikan ke kecamatan", "belum cair sampai bulan ini", "tidak hadir selama tiga bulan",
    "rusak dan belum diperbaiki", "tidak sesuai jumlah yang diusulkan", "belum tersedia di desa",
    "macet karena musim hujan", "tidak dapat digunakan", "belum diverifikasi oleh dinas",
    "kurang dari kebutuhan kelompok", "berhenti sejak awal tahun", "harganya terlalu mahal bagi petani",
    "belum disosialisasikan kepada warga", "ditolak karena persyaratan kurang", "hanya menjangkau dusun induk",
]
CAUSES = [
    "operator desa baru dan belum dilatih", "cuaca buruk menutup jalur laut", "anggaran dinas belum ditetapkan",
    "jarak ke ibu kota kabupaten terlalu jauh", "petugas dipindahkan ke kecamatan lain",
    "dokumen pertanggungjawaban tahun lalu belum lengkap", "tidak ada kendaraan operasional",
    "kelompok belum berbadan hukum", "pemasok terlambat mengirim", "data warga tidak mutakhir",
    "koordinasi antar OPD belum berjalan", "jaringan internet sering putus",
]
SOLUTIONS = [
    "Kecamatan mendampingi penyusunan laporan", "Desa mengirim surat permohonan ke dinas",
    "Usulkan pelatihan operator pada Rakor Pokja", "Gunakan dana cadangan BUMDES sementara",
    "Minta jadwal kunjungan penyuluh setiap bulan", "Bentuk tim kerja desa untuk perbaikan",
    "Ajukan ke Musrenbang kecamatan", "Koordinasi dengan puskesmas untuk jadwal bidan",
    "Cari pemasok dari kabupaten tetangga", "Perbarui data melalui musyawarah dusun",
]
RESOLUTIONS = [
    "Laporan sudah diserahkan dan dana cair", "Penyuluh ditugaskan kembali dua kali sebulan",
    "Dinas mengirim teknisi dan alat sudah berfungsi", "Bibit dan pupuk sudah dibagikan kepada kelompok",
    "Jalan diperbaiki secara gotong royong", "Pelatihan operator telah dilaksanakan di kecamatan",
    "Data penerima sudah diperbarui dinas sosial", "Kelompok sudah mendapat akta badan hukum",
]
SUPPORT = [
    "Pendampingan teknis dari dinas", "Surat rekomendasi camat", "Alokasi anggaran perubahan",
    "Kunjungan lapangan Pokja", "Pelatihan singkat bagi pengurus",
]
NOTES = [
    "Sudah dihubungi lewat telepon", "Menunggu jawaban dinas", "Dibahas di rapat staf",
    "Petugas sudah turun ke lokasi", "Dokumen pendukung sudah dikirim", "Masih dalam proses pengadaan",
]

# The query text of the "similar obstacle elsewhere" measurement: words present in the material above.
SEARCH_TEXT = "Penyuluh pertanian tidak hadir sehingga bibit jagung belum dibagikan"


def obstacle(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(PROBLEMS)}"


def cause(rng: random.Random) -> str:
    return rng.choice(CAUSES).capitalize()


def solution(rng: random.Random) -> str:
    return rng.choice(SOLUTIONS)


def resolution(rng: random.Random) -> str:
    return rng.choice(RESOLUTIONS)


def support(rng: random.Random) -> str:
    return rng.choice(SUPPORT)


def note(rng: random.Random) -> str:
    return rng.choice(NOTES)

GOALS = [
    "Meningkatkan pendapatan kelompok tani", "Meningkatkan usaha BUMDES", "Meningkatkan hasil tangkapan nelayan",
    "Meningkatkan gizi keluarga", "Meningkatkan akses air bersih", "Meningkatkan produksi tenun",
]
ACTIVITIES = [
    "Pelatihan budidaya", "Pengadaan bibit", "Penyertaan modal BUMDES", "Pembangunan sarana",
    "Pendampingan kelompok", "Pemasaran hasil",
]
