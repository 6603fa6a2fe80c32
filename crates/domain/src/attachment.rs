//! Files people attach: an invoice's supporting VAT invoice, a one-off claim's evidence, a
//! contract document, and the attachments of actions' posts and disputes' responses. One
//! set of checks for all of them: the file's name is tidied, its declared type must be one
//! the caller accepts, its size within the caller's limit, and its first bytes what that
//! type's files start with (the declared type alone is only the sender's word).
//!
//! Pure: the SPA runs the same checks on a chosen file before sending it.

/// The largest attachment of an action or a dispute: 10 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// A kind of file the portal accepts somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    /// Plain text, UTF-8.
    Text,
    /// Comma-separated values, UTF-8.
    Csv,
    /// A Word document (Office Open XML: a zip holding `word/`).
    Docx,
    /// An Excel workbook (Office Open XML: a zip holding `xl/`).
    Xlsx,
}

/// The types an invoice's VAT invoice, a claim's evidence and a contract document may be.
pub const PDF_AND_IMAGES: [FileType; 3] = [FileType::Pdf, FileType::Png, FileType::Jpeg];

/// The types an action's or a dispute's attachment may be.
pub const ATTACHMENT_TYPES: [FileType; 7] = [
    FileType::Pdf,
    FileType::Png,
    FileType::Jpeg,
    FileType::Text,
    FileType::Csv,
    FileType::Docx,
    FileType::Xlsx,
];

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl FileType {
    /// From a declared media type, parameters (`; charset=utf-8`) and case ignored;
    /// `image/jpg`, which some browsers send, is JPEG, and Excel's `application/vnd.ms-excel`
    /// for a `.csv` is CSV.
    pub fn parse(content_type: &str) -> Option<FileType> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        Some(match essence.as_str() {
            "application/pdf" => FileType::Pdf,
            "image/png" => FileType::Png,
            "image/jpeg" | "image/jpg" => FileType::Jpeg,
            "text/plain" => FileType::Text,
            "text/csv" | "application/csv" => FileType::Csv,
            DOCX_TYPE => FileType::Docx,
            XLSX_TYPE => FileType::Xlsx,
            _ => return None,
        })
    }

    /// By a file name's extension, for browsers that declare no type.
    pub fn from_file_name(name: &str) -> Option<FileType> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "pdf" => FileType::Pdf,
            "png" => FileType::Png,
            "jpg" | "jpeg" => FileType::Jpeg,
            "txt" => FileType::Text,
            "csv" => FileType::Csv,
            "docx" => FileType::Docx,
            "xlsx" => FileType::Xlsx,
            _ => return None,
        })
    }

    /// The media type a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Text => "text/plain",
            FileType::Csv => "text/csv",
            FileType::Docx => DOCX_TYPE,
            FileType::Xlsx => XLSX_TYPE,
        }
    }

    /// As people name it: "PDF", "Word document".
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Text => "text file",
            FileType::Csv => "CSV file",
            FileType::Docx => "Word document",
            FileType::Xlsx => "Excel workbook",
        }
    }

    /// Whether the file's bytes are what this type's files hold: a PDF starts `%PDF-`, a PNG
    /// with its eight-byte signature, a JPEG with `FF D8 FF`; text and CSV are UTF-8 without
    /// control characters other than tab, line feed, carriage return and form feed; a Word
    /// document or Excel workbook is a zip (`PK\x03\x04`) naming `word/` or `xl/` parts
    /// (zip entry names are stored uncompressed).
    pub fn matches(self, bytes: &[u8]) -> bool {
        match self {
            FileType::Pdf => bytes.starts_with(b"%PDF-"),
            FileType::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            FileType::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileType::Text | FileType::Csv => is_plain_text(bytes),
            FileType::Docx => is_zip(bytes) && contains(bytes, b"word/"),
            FileType::Xlsx => is_zip(bytes) && contains(bytes, b"xl/"),
        }
    }
}

fn is_plain_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C')),
        Err(_) => false,
    }
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// "PDF, PNG or JPEG".
pub fn list_labels(types: &[FileType]) -> String {
    let labels: Vec<&str> = types.iter().map(|kind| kind.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// A size as people read it: "812 bytes", "14 KB", "2.4 MB" (KB rounded up, MB to one
/// place, in units of 1,024).
pub fn size_label(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes < KIB {
        format!("{bytes} bytes")
    } else if bytes < MIB {
        format!("{} KB", bytes.div_ceil(KIB))
    } else {
        let tenths = (bytes * 10 + MIB / 2) / MIB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// Which part of a file a problem is with; each caller names the parts as its API does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePart {
    Name,
    /// The declared type: not one accepted.
    Type,
    /// The bytes: empty or too large.
    Size,
    /// The bytes are not what the declared type says.
    Content,
}

/// One thing wrong with a file, in words to show as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub part: FilePart,
    pub message: String,
}

impl FileProblem {
    fn new(part: FilePart, message: impl Into<String>) -> FileProblem {
        FileProblem {
            part,
            message: message.into(),
        }
    }
}

/// A file whose name, type, size and content were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub file_name: String,
    pub kind: FileType,
    pub bytes: Vec<u8>,
}

/// A file name as kept: its last path part, without control characters or quotes (it is
/// offered back in a `Content-Disposition` header), trimmed.
pub fn clean_file_name(name: &str) -> String {
    name.trim()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect::<String>()
        .trim()
        .to_owned()
}

/// "10 MB": a limit in whole megabytes.
fn limit_label(max_bytes: usize) -> String {
    format!("{} MB", max_bytes / (1024 * 1024))
}

/// Checks a file's name, declared type, size and first bytes against the types `allowed`
/// and `max_bytes`, reporting every problem at once.
pub fn check(
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    allowed: &[FileType],
    max_bytes: usize,
) -> Result<CheckedFile, Vec<FileProblem>> {
    let mut problems = Vec::new();
    let file_name = clean_file_name(file_name);
    if file_name.is_empty() {
        problems.push(FileProblem::new(FilePart::Name, "Enter the file's name"));
    } else if file_name.chars().count() > MAX_FILE_NAME_CHARS {
        problems.push(FileProblem::new(
            FilePart::Name,
            format!("The file's name must be {MAX_FILE_NAME_CHARS} characters or fewer"),
        ));
    }
    let kind = FileType::parse(content_type).filter(|kind| allowed.contains(kind));
    if kind.is_none() {
        problems.push(FileProblem::new(
            FilePart::Type,
            format!(
                "The file must be a {} ({})",
                list_labels(allowed),
                allowed
                    .iter()
                    .map(|kind| kind.content_type())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if bytes.is_empty() {
        problems.push(FileProblem::new(FilePart::Size, "The file is empty"));
    } else if bytes.len() > max_bytes {
        problems.push(FileProblem::new(
            FilePart::Size,
            format!("The file must be {} or smaller", limit_label(max_bytes)),
        ));
    } else if let Some(kind) = kind {
        if !kind.matches(&bytes) {
            problems.push(FileProblem::new(
                FilePart::Content,
                format!(
                    "The file is not a {}: its content does not match its type",
                    kind.label()
                ),
            ));
        }
    }
    match kind {
        Some(kind) if problems.is_empty() => Ok(CheckedFile {
            file_name,
            kind,
            bytes,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";

    fn parts(result: Result<CheckedFile, Vec<FileProblem>>) -> Vec<FilePart> {
        result
            .unwrap_err()
            .into_iter()
            .map(|problem| problem.part)
            .collect()
    }

    #[test]
    fn files_are_what_they_claim_to_be() {
        assert!(FileType::Pdf.matches(b"%PDF-1.7\n..."));
        assert!(!FileType::Pdf.matches(b"MZ\x90\x00 an executable"));
        assert!(FileType::Jpeg.matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(!FileType::Png.matches(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(FileType::Png.matches(PNG));
        assert!(FileType::Csv.matches(b"\xEF\xBB\xBFclient,hours\r\nBristow,7\r\n"));
        assert!(FileType::Text.matches("Visits agreed with Mrs O\u{2019}Neill\n".as_bytes()));
        assert!(!FileType::Text.matches(PNG));
        assert!(!FileType::Csv.matches(b"a,b\x00c"));
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert!(FileType::Docx.matches(docx));
        assert!(!FileType::Xlsx.matches(docx));
        assert!(FileType::Xlsx.matches(b"PK\x03\x04....xl/workbook.xml"));
        assert!(!FileType::Docx.matches(b"word/ but not a zip"));
        assert_eq!(
            FileType::parse("text/plain; charset=UTF-8"),
            Some(FileType::Text)
        );
        assert_eq!(FileType::parse("image/jpg"), Some(FileType::Jpeg));
        assert_eq!(FileType::parse("text/html"), None);
        assert_eq!(FileType::from_file_name("Rota.XLSX"), Some(FileType::Xlsx));
        assert_eq!(FileType::from_file_name("notes"), None);
    }

    #[test]
    fn a_file_is_checked_against_the_types_and_size_allowed() {
        let pdf = b"%PDF-1.4\n%...".to_vec();
        let file = check(
            "receipt.pdf",
            "application/pdf",
            pdf.clone(),
            &PDF_AND_IMAGES,
            100,
        )
        .unwrap();
        assert_eq!(file.kind, FileType::Pdf);
        // A PNG declared as a PDF is refused by its content.
        assert_eq!(
            parts(check(
                "a.pdf",
                "application/pdf",
                PNG.to_vec(),
                &PDF_AND_IMAGES,
                100
            )),
            [FilePart::Content]
        );
        // Text is an attachment's type, not evidence's.
        assert_eq!(
            parts(check(
                "a.txt",
                "text/plain",
                b"notes".to_vec(),
                &PDF_AND_IMAGES,
                100
            )),
            [FilePart::Type]
        );
        assert!(check(
            "a.txt",
            "text/plain",
            b"notes".to_vec(),
            &ATTACHMENT_TYPES,
            100
        )
        .is_ok());
        let mut big = pdf.clone();
        big.resize(101, b' ');
        assert_eq!(
            parts(check(
                "big.pdf",
                "application/pdf",
                big,
                &PDF_AND_IMAGES,
                100
            )),
            [FilePart::Size]
        );
        let mut largest = pdf;
        largest.resize(100, b' ');
        assert!(check("big.pdf", "application/pdf", largest, &PDF_AND_IMAGES, 100).is_ok());
        assert_eq!(
            parts(check(" ", "image/gif", Vec::new(), &ATTACHMENT_TYPES, 100)),
            [FilePart::Name, FilePart::Type, FilePart::Size]
        );
    }

    #[test]
    fn a_name_keeps_only_its_last_part_and_nothing_that_breaks_a_header() {
        assert_eq!(
            clean_file_name("C:\\Users\\me\\re\"ceipt.pdf"),
            "receipt.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd\n"), "passwd");
    }

    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(size_label(812), "812 bytes");
        assert_eq!(size_label(1024), "1 KB");
        assert_eq!(size_label(14 * 1024 + 1), "15 KB");
        assert_eq!(size_label(2_516_582), "2.4 MB");
        assert_eq!(size_label(10 * 1024 * 1024), "10.0 MB");
        assert_eq!(list_labels(&PDF_AND_IMAGES), "PDF, PNG or JPEG");
    }
}
