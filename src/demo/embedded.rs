//! The committed sample returns (`samples/2024-Q1/`), embedded in the binary
//! so that `cchc demo` needs no file beside it. Regenerate them with
//! `bash samples/make.sh` and keep this list in step with the folder (a test
//! checks it).

/// (file name, bytes) of each sample return.
pub const SAMPLES: &[(&str, &[u8])] = &[
    (
        "2024-Q1_BDT_ban-dan-toc-tinh.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_BDT_ban-dan-toc-tinh.xlsx"),
    ),
    (
        "2024-Q1_H522_ubnd-thanh-pho-quang-ngai.xls",
        include_bytes!("../../samples/2024-Q1/2024-Q1_H522_ubnd-thanh-pho-quang-ngai.xls"),
    ),
    (
        "2024-Q1_SCT_so-cong-thuong.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_SCT_so-cong-thuong.xlsx"),
    ),
    (
        "2024-Q1_SGTVT_so-giao-thong-van-tai.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_SGTVT_so-giao-thong-van-tai.xlsx"),
    ),
    (
        "2024-Q1_SNV_so-noi-vu.ods",
        include_bytes!("../../samples/2024-Q1/2024-Q1_SNV_so-noi-vu.ods"),
    ),
    (
        "2024-Q1_STC_so-tai-chinh_lan-1.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_STC_so-tai-chinh_lan-1.xlsx"),
    ),
    (
        "2024-Q1_STC_so-tai-chinh_lan-2.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_STC_so-tai-chinh_lan-2.xlsx"),
    ),
    (
        "2024-Q1_STP_so-tu-phap.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_STP_so-tu-phap.xlsx"),
    ),
    (
        "2024-Q1_SYT_so-y-te.xlsx",
        include_bytes!("../../samples/2024-Q1/2024-Q1_SYT_so-y-te.xlsx"),
    ),
];

/// The received-dates list of the samples (`tệp,ngày nhận`).
pub const RECEIVED: &str = include_str!("../../samples/2024-Q1/ngay-nhan.csv");
