//! The rule table: every check intake makes on a returned workbook, with a
//! stable code, a severity, a Vietnamese title, the instruction the template's
//! guide sheet prints for the person filling in, and the documentation
//! `cchc explain CODE` prints (what it checks, why, an example). The
//! templates' instructions, the validator's findings and `explain` all read
//! this one table, so they cannot disagree.

use serde::Serialize;

/// How bad a finding is: an error blocks acceptance, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        }
    }
}

/// What part of the return a rule looks at (groups the guide sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The file itself: readable, not encrypted, not too big.
    File,
    /// Metadata: agency, period, plan, authenticity.
    Identity,
    /// Sheets, header row, task rows.
    Structure,
    /// One task row's cells.
    Task,
    /// The indicator sheet.
    Figures,
    /// Text encoding.
    Text,
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::File => "Tệp",
            Scope::Identity => "Nhận diện biểu mẫu",
            Scope::Structure => "Cấu trúc biểu mẫu",
            Scope::Task => "Sheet «Nhiệm vụ»",
            Scope::Figures => "Sheet «Số liệu»",
            Scope::Text => "Phông chữ, bảng mã",
        }
    }
}

/// One check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable code, e.g. `C001`.
    pub code: &'static str,
    /// Short English name, kebab case (for logs and JSON consumers).
    pub name: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    /// One-line Vietnamese title.
    pub title: &'static str,
    /// What the person filling in must do, printed on the guide sheet;
    /// empty for rules they cannot act on while filling in.
    pub instruction: &'static str,
    /// What it checks, why, and an example (Vietnamese, for `cchc explain`).
    pub doc: &'static str,
}

macro_rules! rule {
    ($code:literal, $name:literal, $sev:ident, $scope:ident, $title:literal, $instr:literal, $doc:literal) => {
        Rule {
            code: $code,
            name: $name,
            severity: Severity::$sev,
            scope: Scope::$scope,
            title: $title,
            instruction: $instr,
            doc: $doc,
        }
    };
}

/// All rules, in the order the guide sheet and `explain --all` list them.
pub const RULES: &[Rule] = &[
    // --- File -------------------------------------------------------------
    rule!("F001", "not-a-spreadsheet", Error, File,
        "Tệp không phải bảng tính",
        "Gửi lại đúng tệp Excel đã nhận (.xlsx); nếu lưu bằng chương trình khác thì chọn định dạng .xlsx, .xls hoặc .ods.",
        "Kiểm tra: tệp có phải bảng tính (.xlsx, .xlsm, .xls, .xlsb, .ods) không.\nVì sao: đơn vị hay gửi nhầm tệp Word, PDF hoặc đổi đuôi tệp.\nVí dụ: «bao-cao.xlsx» thực chất là tệp Word đổi tên."),
    rule!("F002", "corrupt-file", Error, File,
        "Tệp bị hỏng, không đọc được",
        "",
        "Kiểm tra: tệp mở và đọc được trọn vẹn.\nVì sao: tệp tải về dở dang hoặc hỏng khi gửi thư sẽ mất số liệu.\nVí dụ: tệp .xlsx bị cắt cụt (thiếu phần cuối của gói zip)."),
    rule!("F003", "encrypted-file", Error, File,
        "Tệp có mật khẩu mở",
        "Không đặt mật khẩu mở tệp khi gửi báo cáo.",
        "Kiểm tra: tệp không bị mã hóa bằng mật khẩu mở.\nVì sao: chương trình không thể đọc tệp đã mã hóa.\nVí dụ: đơn vị chọn «Encrypt with Password» trước khi gửi."),
    rule!("F004", "oversized-file", Error, File,
        "Tệp quá lớn hoặc bất thường",
        "",
        "Kiểm tra: kích thước tệp, kích thước giải nén và số dòng nằm trong giới hạn hợp lý.\nVì sao: một tệp bất thường (hàng triệu dòng, «bom zip») không được làm treo cả đợt tổng hợp.\nVí dụ: sheet có 1.048.576 dòng được định dạng."),
    rule!("F005", "unreadable-file", Error, File,
        "Không đọc xong tệp trong giới hạn thời gian",
        "",
        "Kiểm tra: việc đọc tệp kết thúc trong thời gian cho phép, không gây lỗi chương trình.\nVì sao: một tệp hỏng không được làm dừng cả đợt.\nVí dụ: tệp .ods bị cắt cụt làm bộ đọc lặp vô hạn."),
    rule!("F006", "empty-workbook", Error, File,
        "Tệp không có dữ liệu",
        "",
        "Kiểm tra: tệp có ít nhất một sheet có dữ liệu.\nVì sao: tệp rỗng thường là gửi nhầm.\nVí dụ: bảng tính mới tạo, chưa nhập gì."),
    // --- Identity ---------------------------------------------------------
    rule!("M001", "metadata-lost", Warning, Identity,
        "Mất thông tin nhận diện biểu mẫu",
        "Nhập số liệu trực tiếp vào biểu mẫu đã nhận; không chép sang bảng tính mới.",
        "Kiểm tra: thông tin nhận diện (đơn vị, kỳ, kế hoạch, mã xác thực) còn trong tệp.\nVì sao: khi dữ liệu bị chép sang bảng tính mới, chương trình phải đoán đơn vị từ nội dung.\nVí dụ: đơn vị chép sheet «Nhiệm vụ» sang một tệp Excel mới rồi gửi."),
    rule!("M002", "agency-unknown", Error, Identity,
        "Không xác định được đơn vị báo cáo",
        "",
        "Kiểm tra: mã đơn vị trong tệp có trong danh mục cơ quan.\nVì sao: báo cáo không rõ đơn vị không thể tổng hợp.\nVí dụ: mã đơn vị bị xóa, hoặc là một mã không có trong templates/agencies.csv."),
    rule!("M003", "token-mismatch", Error, Identity,
        "Mã xác thực không khớp với đơn vị",
        "Dùng đúng biểu mẫu Sở Nội vụ gửi cho đơn vị mình; không dùng biểu mẫu của đơn vị khác.",
        "Kiểm tra: mã xác thực trong tệp đúng là mã cấp cho đơn vị, kỳ và kế hoạch đó.\nVì sao: chứng minh tệp đúng là biểu mẫu đã gửi cho đơn vị, không phải tệp của đơn vị khác bị sửa tên.\nVí dụ: đơn vị A lấy biểu mẫu của đơn vị B, sửa mã đơn vị thành A."),
    rule!("M004", "wrong-period", Error, Identity,
        "Biểu mẫu không đúng kỳ báo cáo",
        "Dùng biểu mẫu của đúng kỳ báo cáo này.",
        "Kiểm tra: kỳ báo cáo ghi trong tệp trùng kỳ đang tổng hợp.\nVì sao: số liệu kỳ trước không được tính vào kỳ này.\nVí dụ: gửi lại biểu mẫu quý I khi đang tổng hợp 6 tháng."),
    rule!("M005", "plan-changed", Warning, Identity,
        "Biểu mẫu lập theo kế hoạch khác",
        "",
        "Kiểm tra: dấu vân tay của kế hoạch trong tệp trùng kế hoạch đang dùng.\nVì sao: nếu kế hoạch đã sửa đổi, một số nhiệm vụ có thể đã thay đổi.\nVí dụ: biểu mẫu lập trước khi kế hoạch được điều chỉnh."),
    rule!("M006", "template-version", Error, Identity,
        "Phiên bản biểu mẫu không được hỗ trợ",
        "",
        "Kiểm tra: phiên bản bố cục biểu mẫu là phiên bản chương trình đọc được.\nVì sao: bố cục khác thì các cột có thể khác.\nVí dụ: biểu mẫu của một phiên bản cũ."),
    rule!("M008", "identity-conflict", Error, Identity,
        "Thông tin nhận diện mâu thuẫn nhau",
        "Không sửa tên đơn vị, tên tệp hay sao chép biểu mẫu của đơn vị khác: mỗi đơn vị dùng đúng biểu mẫu của mình.",
        "Kiểm tra: các nguồn cho biết tệp của đơn vị nào phải khớp nhau: thông tin nhận diện ẩn (sheet ẩn, tên định nghĩa, thuộc tính tệp), mã xác thực, tên đơn vị ở dòng «Đơn vị báo cáo:» của các sheet, mã đơn vị trong tên tệp do Sở Nội vụ đặt (kỳ_MÃ_tên.xlsx) và danh sách nhiệm vụ. Chỉ đọc tên đơn vị ở ô «Đơn vị báo cáo:», không đọc các câu hướng dẫn (như «Hạn gửi Sở Nội vụ»).\nVì sao: đơn vị lấy biểu mẫu của đơn vị khác rồi sửa tên hiển thị sẽ bị tính cho đơn vị kia, và đơn vị thật bị coi là chưa gửi.\nVí dụ: tệp mang thông tin nhận diện của Sở Tư pháp nhưng dòng «Đơn vị báo cáo:» ghi Sở Y tế."),
    rule!("M007", "duplicate-return", Warning, Identity,
        "Đơn vị gửi nhiều tệp cho cùng một kỳ",
        "",
        "Kiểm tra: mỗi đơn vị chỉ có một tệp cho mỗi kỳ.\nVì sao: khi gửi lại, chỉ tệp hợp lệ mới nhất được tính; các tệp khác vẫn được ghi vào sổ tiếp nhận.\nVí dụ: đơn vị gửi bản sửa lần 2 mà không báo."),
    // --- Structure --------------------------------------------------------
    rule!("S001", "sheet-missing", Error, Structure,
        "Thiếu sheet bắt buộc",
        "Không xóa các sheet «Nhiệm vụ» và «Số liệu».",
        "Kiểm tra: có sheet nhiệm vụ và sheet số liệu (tìm theo tên, rồi theo nội dung nếu đã đổi tên).\nVì sao: thiếu sheet là thiếu nội dung báo cáo.\nVí dụ: sheet «Số liệu» bị xóa."),
    rule!("S002", "sheet-renamed", Warning, Structure,
        "Sheet bị đổi tên",
        "Không đổi tên các sheet.",
        "Kiểm tra: sheet được tìm thấy theo nội dung nhưng tên đã bị đổi.\nVì sao: đổi tên không làm mất số liệu nhưng dễ gây nhầm lẫn khi tổng hợp thủ công.\nVí dụ: «Nhiệm vụ» đổi thành «Sheet1»."),
    rule!("S003", "header-missing", Error, Structure,
        "Không tìm thấy dòng tiêu đề cột",
        "Không xóa hay sửa dòng tiêu đề cột.",
        "Kiểm tra: dòng tiêu đề của bảng (Mã NV, Nội dung nhiệm vụ, Tình trạng…) còn nguyên, kể cả khi đã chèn dòng, cột phía trên hoặc bên trái.\nVì sao: không có tiêu đề thì không biết cột nào là cột nào.\nVí dụ: dòng tiêu đề bị xóa khi sắp xếp lại bảng."),
    rule!("S004", "duplicate-task-row", Error, Structure,
        "Một nhiệm vụ xuất hiện nhiều dòng",
        "Mỗi nhiệm vụ chỉ báo cáo trên một dòng; không sao chép dòng.",
        "Kiểm tra: mỗi mã nhiệm vụ chỉ có một dòng.\nVì sao: hai dòng cho một nhiệm vụ thì không biết dòng nào đúng.\nVí dụ: dòng nhiệm vụ 2.d được sao chép thêm một lần."),
    rule!("S005", "unknown-task", Error, Structure,
        "Mã nhiệm vụ không có trong kế hoạch",
        "Không thêm dòng nhiệm vụ mới; nhiệm vụ phát sinh ghi vào cột «Kết quả đạt được» của nhiệm vụ gần nhất.",
        "Kiểm tra: mỗi mã nhiệm vụ có trong kế hoạch.\nVì sao: chỉ tổng hợp các nhiệm vụ của kế hoạch.\nVí dụ: dòng có mã «9.a» trong khi kế hoạch chỉ có 8 lĩnh vực."),
    rule!("S006", "task-missing", Error, Structure,
        "Thiếu nhiệm vụ được giao",
        "Không xóa dòng nhiệm vụ nào, kể cả nhiệm vụ chưa thực hiện.",
        "Kiểm tra: mọi nhiệm vụ kế hoạch giao cho đơn vị đều có dòng trong báo cáo.\nVì sao: thiếu dòng thì nhiệm vụ đó bị xem như chưa báo cáo.\nVí dụ: đơn vị xóa các dòng «Chưa thực hiện»."),
    rule!("S007", "plan-text-edited", Warning, Structure,
        "Nội dung kế hoạch bị sửa",
        "Không sửa các cột nội dung kế hoạch (từ «Mã NV» đến «Đến hạn kỳ này»).",
        "Kiểm tra: các ô nội dung do kế hoạch ghi sẵn còn nguyên.\nVì sao: tổng hợp dựa trên kế hoạch, không dựa trên nội dung bị sửa; việc sửa thường là dấu hiệu nhầm dòng.\nVí dụ: nội dung nhiệm vụ 1.a bị gõ đè."),
    rule!("S008", "task-wrong-agency", Warning, Structure,
        "Nhiệm vụ không giao cho đơn vị",
        "",
        "Kiểm tra: nhiệm vụ có trong kế hoạch nhưng không giao cho đơn vị này.\nVì sao: báo cáo nhiệm vụ của đơn vị khác không được tính.\nVí dụ: dòng của nhiệm vụ 3.e (Sở Y tế chủ trì) xuất hiện trong báo cáo của Sở Tư pháp."),
    // --- Task values ------------------------------------------------------
    rule!("V001", "status-invalid", Error, Task,
        "Tình trạng không thuộc danh sách",
        "Cột «Tình trạng»: chọn một trong các giá trị trong danh sách thả xuống.",
        "Kiểm tra: tình trạng là một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện, Không thực hiện (chấp nhận không dấu, viết tắt thông dụng như «Đã HT», «đang triển khai»).\nVì sao: tổng hợp đếm theo tình trạng.\nVí dụ: «Cơ bản xong»."),
    rule!("V002", "status-missing", Error, Task,
        "Chưa chọn tình trạng",
        "Mọi dòng nhiệm vụ phải có «Tình trạng».",
        "Kiểm tra: mỗi nhiệm vụ có tình trạng.\nVì sao: nhiệm vụ không có tình trạng không thể tổng hợp.\nVí dụ: ô «Tình trạng» để trống."),
    rule!("V003", "percent-invalid", Error, Task,
        "Tỷ lệ hoàn thành không hợp lệ",
        "Cột «Tỷ lệ hoàn thành (%)»: nhập số từ 0 đến 100 (ví dụ 80 hoặc 80,5).",
        "Kiểm tra: tỷ lệ là số từ 0 đến 100; chấp nhận 80, «80%», «80,5»; ô số có giá trị trong khoảng (0; 1] được hiểu là phân số (Excel, LibreOffice lưu 80% gõ vào ô thành 0,8), nên 0,8 là 80% và 1 là 100%. Cùng một cách đọc cho cột tỷ lệ của sheet «Nhiệm vụ» và các chỉ số tỷ lệ (%) của sheet «Số liệu»: «81,5%» luôn là 81,5.\nVì sao: tỷ lệ dùng để đánh giá tiến độ.\nVí dụ: «khoảng 80» hoặc 150."),
    rule!("V004", "number-as-text", Warning, Task,
        "Số được nhập dạng chữ",
        "Nhập số, không gõ kèm chữ; dấu phẩy là dấu thập phân.",
        "Kiểm tra: ô số được nhập dạng văn bản; chương trình đã đọc theo kiểu Việt Nam («16.051» = 16051, «98,6» = 98,6) và báo lại giá trị đã hiểu.\nVì sao: số dạng chữ dễ bị hiểu sai dấu thập phân.\nVí dụ: «16.051» trong ô số liệu."),
    rule!("V005", "date-invalid", Error, Task,
        "Ngày không hợp lệ",
        "Cột «Ngày văn bản»: nhập ngày dạng ngày/tháng/năm, ví dụ 05/3/2024.",
        "Kiểm tra: ngày đọc được (ngày Excel, yyyy-mm-dd hoặc d/m/yyyy). Mỗi ô chỉ báo một lỗi: ngày không đọc được thì không báo thêm lỗi thiếu ngày (C002).\nVì sao: ngày văn bản dùng để xác định đúng hạn hay quá hạn, nên ngày không đọc được là lỗi.\nVí dụ: «tháng 3», «31/02/2024»."),
    rule!("V006", "date-outside-window", Error, Task,
        "Ngày văn bản không thể có đối với nhiệm vụ đã hoàn thành",
        "Nhiệm vụ «Hoàn thành»: ngày văn bản phải từ đầu năm kế hoạch đến ngày chốt số liệu của kỳ.",
        "Kiểm tra: nhiệm vụ ghi «Hoàn thành» có ngày văn bản minh chứng sau ngày chốt số liệu của kỳ, hoặc trước năm kế hoạch (trước cả ngày bắt đầu thời gian chốt số liệu của kỳ).\nVì sao: ngày này quyết định nhiệm vụ hoàn thành trong kỳ, đúng hạn hay quá hạn; một ngày không thể có (gõ nhầm năm, văn bản ban hành sau ngày chốt) làm sai số liệu tổng hợp, nên là lỗi chứ không chỉ cảnh báo. Nhiệm vụ hoàn thành sau ngày chốt số liệu báo cáo ở kỳ sau.\nVí dụ: văn bản ngày 20/3/2024 trong báo cáo quý I (chốt số liệu đến 14/3/2024); ngày 05/3/2014 (gõ nhầm năm) trong báo cáo năm 2024."),
    rule!("V007", "date-in-future", Error, Task,
        "Ngày ở tương lai",
        "Không ghi ngày sau ngày gửi báo cáo.",
        "Kiểm tra: ngày văn bản không sau ngày đọc báo cáo.\nVì sao: văn bản chưa ban hành không thể là minh chứng.\nVí dụ: 15/12/2030."),
    rule!("V008", "date-ambiguous", Warning, Task,
        "Ngày có thể bị đảo ngày và tháng",
        "Nhập ngày dạng ngày/tháng/năm (05/3/2024 là ngày 5 tháng 3); nếu máy tính đặt ngôn ngữ tiếng Anh, hãy kiểm tra lại ngày đã hiện đúng chưa.",
        "Kiểm tra: tệp cho thấy đã được lưu trên máy đặt ngôn ngữ không phải tiếng Việt (có ngày gõ dạng chữ mà ngày lớn hơn 12, như «25/03/2024», mà bảng tính kiểu Mỹ không hiểu) và một ngày văn bản có cả ngày và tháng đều không quá 12: bảng tính kiểu Mỹ (tháng/ngày/năm) có thể đã đảo ngày và tháng. Chương trình báo cả hai cách đọc và dùng ngày đang lưu trong ô (cách bảng tính đã hiểu); nếu ý là cách đọc kia thì đơn vị sửa lại. Nếu ngày đang lưu không thể có (sau ngày chốt số liệu) mà cách đọc đảo lại hợp lệ, lỗi V006 nêu cách đọc đảo lại.\nVì sao: «05/03/2024» gõ trên máy đặt tiếng Anh thành ngày 3 tháng 5.\nVí dụ: ngày văn bản hiện 03/05/2024 trong một tệp có ô «25/03/2024» dạng chữ."),
    // --- Consistency ------------------------------------------------------
    rule!("C001", "completed-not-100", Error, Task,
        "Hoàn thành nhưng tỷ lệ khác 100%",
        "Nhiệm vụ «Hoàn thành» thì tỷ lệ là 100.",
        "Kiểm tra: tình trạng Hoàn thành đi với tỷ lệ 100%.\nVì sao: hai ô mâu thuẫn thì không biết ô nào đúng.\nVí dụ: Hoàn thành, 80%."),
    rule!("C002", "completed-no-evidence", Error, Task,
        "Hoàn thành nhưng thiếu văn bản minh chứng",
        "Nhiệm vụ «Hoàn thành» phải ghi văn bản minh chứng (số, ký hiệu) và ngày văn bản.",
        "Kiểm tra: nhiệm vụ hoàn thành có văn bản minh chứng.\nVì sao: kết quả CCHC được chấm điểm theo sản phẩm có văn bản.\nVí dụ: Hoàn thành, cột minh chứng để trống."),
    rule!("C008", "evidence-implausible", Error, Task,
        "Văn bản minh chứng không chứng minh được việc hoàn thành",
        "Nhiệm vụ «Hoàn thành»: ghi số, ký hiệu văn bản đã ban hành chứng minh kết quả (ví dụ 15/KH-STP, Quyết định số 123/QĐ-UBND); không ghi «chưa có», «dự thảo», «đang trình» hay số hiệu của chính kế hoạch.",
        "Kiểm tra: nhiệm vụ ghi «Hoàn thành» mà cột minh chứng chỉ là chữ giữ chỗ («chưa có», «không có», «x», «-»), văn bản chưa ban hành («dự thảo», «đang trình», «chờ ký»), hoặc trích chính quyết định ban hành kế hoạch (số hiệu của kế hoạch).\nVì sao: minh chứng phải là văn bản đã ban hành thể hiện kết quả; bản thân kế hoạch hay một dự thảo không chứng minh nhiệm vụ đã xong.\nVí dụ: «Quyết định 1879/QĐ-UBND» (chính kế hoạch), «Dự thảo đang trình UBND tỉnh», «chưa có văn bản». Không báo với số hiệu thật như «15/KH-STP», «Quyết định số 123/QĐ-UBND ngày 05/3/2024»."),
    rule!("C003", "not-started-not-0", Error, Task,
        "Chưa thực hiện nhưng tỷ lệ khác 0",
        "Nhiệm vụ «Chưa thực hiện» thì tỷ lệ là 0.",
        "Kiểm tra: tình trạng Chưa thực hiện đi với tỷ lệ 0%.\nVì sao: hai ô mâu thuẫn.\nVí dụ: Chưa thực hiện, 30%."),
    rule!("C004", "overdue", Warning, Task,
        "Nhiệm vụ đến hạn nhưng chưa hoàn thành",
        "Nhiệm vụ đến hạn trong kỳ mà chưa hoàn thành: nêu rõ nguyên nhân ở cột «Khó khăn, vướng mắc».",
        "Kiểm tra: nhiệm vụ có thời hạn vào hoặc trước ngày chốt số liệu của kỳ nhưng chưa hoàn thành, và cột «Khó khăn, vướng mắc» chưa nêu nguyên nhân. Nhiệm vụ chưa đến hạn tại ngày chốt số liệu (hạn 31/3, chốt số liệu 14/3) và nhiệm vụ thường xuyên không bị báo; đã nêu nguyên nhân thì không báo.\nVì sao: báo cáo tỉnh phải nêu các nhiệm vụ quá hạn và nguyên nhân.\nVí dụ: nhiệm vụ hạn 31/01/2024, báo cáo quý I ghi «Đang thực hiện», cột khó khăn để trống."),
    rule!("C005", "not-applicable-no-reason", Error, Task,
        "«Không thực hiện» nhưng không nêu lý do",
        "Nhiệm vụ «Không thực hiện» phải nêu lý do ở cột «Khó khăn, vướng mắc».",
        "Kiểm tra: tình trạng Không thực hiện có lý do.\nVì sao: Sở Nội vụ cần lý do để báo cáo UBND tỉnh.\nVí dụ: Không thực hiện, cột khó khăn để trống."),
    rule!("C006", "result-missing", Error, Task,
        "Thiếu kết quả đạt được",
        "Ghi «Kết quả đạt được» cho mọi nhiệm vụ đã hoặc đang thực hiện.",
        "Kiểm tra: nhiệm vụ hoàn thành hoặc đang thực hiện có mô tả kết quả.\nVì sao: báo cáo tỉnh trích kết quả của các đơn vị.\nVí dụ: Đang thực hiện, 50%, cột kết quả để trống."),
    rule!("C007", "in-progress-percent", Warning, Task,
        "Đang thực hiện nhưng tỷ lệ là 0 hoặc 100",
        "Nhiệm vụ «Đang thực hiện» ghi tỷ lệ từ 1 đến 99.",
        "Kiểm tra: tình trạng Đang thực hiện đi với tỷ lệ giữa 0 và 100.\nVì sao: 100% là hoàn thành, 0% là chưa thực hiện.\nVí dụ: Đang thực hiện, 100%."),
    // --- Figures ----------------------------------------------------------
    rule!("I001", "figure-not-number", Error, Figures,
        "Số liệu không phải là số",
        "Cột «Số liệu»: chỉ nhập số.",
        "Kiểm tra: mỗi ô số liệu là số (chấp nhận số dạng chữ kiểu Việt Nam).\nVì sao: số liệu được cộng dồn toàn tỉnh.\nVí dụ: «chưa thống kê»."),
    rule!("I002", "figure-out-of-range", Error, Figures,
        "Số liệu ngoài phạm vi",
        "Số đếm là số nguyên không âm; tỷ lệ (%) từ 0 đến 100.",
        "Kiểm tra: số đếm là số nguyên ≥ 0, tỷ lệ từ 0 đến 100, số thập phân ≥ 0. Số đếm có ba chữ số thập phân (1,317) được báo kèm khả năng dấu chấm phân cách hàng nghìn bị máy đặt ngôn ngữ tiếng Anh hiểu là dấu thập phân («1.317» thành 1,317 thay vì 1317).\nVì sao: số âm hay tỷ lệ trên 100% là nhập nhầm.\nVí dụ: −5 hồ sơ; 120%; 3,5 hồ sơ; «1.317» gõ trên máy đặt tiếng Anh."),
    rule!("I003", "figure-missing", Warning, Figures,
        "Chưa nhập số liệu",
        "Nhập đủ các chỉ số; không phát sinh thì ghi 0.",
        "Kiểm tra: mọi chỉ số đều có số liệu.\nVì sao: ô trống không phân biệt được «bằng 0» với «quên nhập».\nVí dụ: ô số liệu «Số TTHC công bố mới» để trống."),
    rule!("I004", "identity-broken", Error, Figures,
        "Các số liệu không khớp nhau",
        "Xem cột «Kiểm tra»: các dòng báo «Không khớp» phải được sửa trước khi gửi.",
        "Kiểm tra: các đẳng thức giữa chỉ số khai báo trong templates/indicators.toml ([[identity]], ví dụ trước hạn + đúng hạn + quá hạn = đã giải quyết). Thông báo nêu từng ô và giá trị hai vế.\nVì sao: số liệu không khớp thì số tổng hợp toàn tỉnh sai.\nVí dụ: 10 + 80 + 5 ≠ 100 hồ sơ đã giải quyết."),
    rule!("I005", "rate-inconsistent", Error, Figures,
        "Tỷ lệ không khớp với số liệu thành phần",
        "",
        "Kiểm tra: tỷ lệ (%) khai báo khớp với tỷ lệ tính từ tử số và mẫu số khai báo trong templates/indicators.toml (sai số 0,5 điểm % cho làm tròn). Thông báo nêu ô tỷ lệ và các số liệu thành phần.\nVì sao: tỷ lệ toàn tỉnh được tính lại từ tổng, nên tỷ lệ khai sai là dấu hiệu số liệu thành phần sai.\nVí dụ: 95 đúng hạn / 100 hồ sơ nhưng ghi tỷ lệ 98%."),
    rule!("I006", "unknown-figure", Warning, Figures,
        "Chỉ số không có trong danh mục",
        "Không thêm dòng chỉ số mới.",
        "Kiểm tra: mỗi dòng số liệu có mã trong danh mục chỉ số của cấp đơn vị.\nVì sao: chỉ số lạ không được tổng hợp.\nVí dụ: dòng mã «XYZ» do đơn vị tự thêm."),
    rule!("I007", "part-exceeds-whole", Error, Figures,
        "Số liệu thành phần lớn hơn số liệu toàn bộ",
        "Phần không được lớn hơn toàn bộ (ví dụ số nhiệm vụ hoàn thành không vượt số nhiệm vụ đề ra); xem cột «Kiểm tra».",
        "Kiểm tra: các quan hệ phần ≤ toàn bộ khai báo trong templates/indicators.toml ([[relation]]): nhiệm vụ hoàn thành ≤ nhiệm vụ đề ra; văn bản trái pháp luật ≤ văn bản được rà soát; thư xin lỗi ≤ hồ sơ quá hạn; đơn vị tự chủ ≤ đơn vị sự nghiệp; số xã đã báo cáo ≤ số xã trực thuộc đơn vị theo danh mục cơ quan. Thông báo nêu cả hai ô và hai giá trị.\nVì sao: phần lớn hơn toàn bộ là nhập nhầm, làm sai số tổng hợp toàn tỉnh.\nVí dụ: 12 nhiệm vụ hoàn thành trong khi kế hoạch đề ra 10."),
    // --- Text -------------------------------------------------------------
    rule!("T001", "legacy-encoding", Warning, Text,
        "Văn bản gõ bằng bảng mã cũ (TCVN3/VNI)",
        "Gõ tiếng Việt bằng Unicode (bộ gõ Unikey/EVKey chọn bảng mã Unicode, phông Times New Roman).",
        "Kiểm tra: văn bản gõ theo bảng mã TCVN3 (.VnTime) hoặc VNI; chương trình đã chuyển sang Unicode và báo lại văn bản đã chuyển.\nVì sao: văn bản bảng mã cũ hiện thành ký tự lạ trên máy khác.\nVí dụ: «Së Néi vô» → «Sở Nội vụ»."),
    rule!("T002", "not-nfc", Warning, Text,
        "Văn bản Unicode dạng tổ hợp",
        "",
        "Kiểm tra: văn bản Unicode dạng tổ hợp (NFD, thường từ máy Mac); chương trình đã chuẩn hóa về dạng dựng sẵn (NFC).\nVì sao: hai dạng trông giống nhau nhưng so sánh, tìm kiếm khác nhau.\nVí dụ: «Hoà» gõ thành «Hoa» + dấu huyền rời."),
];

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Rules that tell the person filling in what to do, for the guide sheet.
pub fn instructions() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(|r| !r.instruction.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert_eq!(r.code.len(), 4, "{}", r.code);
            assert!(
                r.doc.contains("Kiểm tra:") && r.doc.contains("Ví dụ:"),
                "{}",
                r.code
            );
        }
    }

    #[test]
    fn lookup_is_case_insensitive() {
        assert_eq!(rule("c001").unwrap().name, "completed-not-100");
        assert!(rule("Z999").is_none());
        assert!(instructions().any(|r| r.code == "V001"));
        assert!(instructions().all(|r| r.code != "F002"));
    }
}
