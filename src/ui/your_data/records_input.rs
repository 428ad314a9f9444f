//! "Your records": what the reader pasted or loaded, checked as plain state (no browser
//! calls), and how it travels to the measuring worker (once, as bytes).

use crate::engine::config::SimConfig;
use crate::engine::keys::LineForm;
use crate::engine::record_file::YourRecords;
use std::sync::Arc;

/// The largest input the page takes. The bytes are held twice in this tab's memory (on
/// the page and in the measuring worker), and each trade-off run sends at most 5,000
/// records, so a larger sample would cost memory and change no number.
pub const MAX_RECORDS_BYTES: u64 = 16 * 1024 * 1024;

/// The reader's bytes and how their lines read.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordsInput {
    pub bytes: Arc<[u8]>,
    pub form: LineForm,
}

/// Records that passed the checks, with what the panel says about them.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedRecords {
    pub input: RecordsInput,
    pub records: YourRecords,
    /// One line for the panel: how many records, their mean size, binary values.
    pub summary: String,
}

impl RecordsInput {
    /// Checks the input as the producer would send it (Kafka's default
    /// max.request.size, which the trade-off runs use).
    pub fn load(self) -> Result<LoadedRecords, String> {
        check_size(self.bytes.len() as u64)?;
        let records = self.parse().map_err(|e| e.to_string())?;
        let summary = summary(&records);
        Ok(LoadedRecords {
            input: self,
            records,
            summary,
        })
    }

    pub fn parse(&self) -> Result<YourRecords, crate::engine::keys::KeyFileError> {
        let max = SimConfig::default().producer.max_request_size;
        YourRecords::parse(&self.bytes, self.form, max)
    }

    /// The message to the worker: one byte for the form, then the bytes.
    pub fn to_message(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.bytes.len() + 1);
        out.push(u8::from(self.form == LineForm::KeyValue));
        out.extend_from_slice(&self.bytes);
        out
    }

    /// Reads [`RecordsInput::to_message`] back; `None` for an empty message (no records).
    pub fn from_message(message: &[u8]) -> Option<RecordsInput> {
        let (&form, bytes) = message.split_first()?;
        Some(RecordsInput {
            bytes: bytes.into(),
            form: if form == 1 {
                LineForm::KeyValue
            } else {
                LineForm::Key
            },
        })
    }
}

/// Refuses an input over [`MAX_RECORDS_BYTES`], saying the limit and why.
pub fn check_size(bytes: u64) -> Result<(), String> {
    if bytes > MAX_RECORDS_BYTES {
        return Err(format!(
            "This is {:.1} MB; the page takes records up to {} MB. They are kept in this \
             browser tab's memory (nothing is uploaded), and each run sends at most 5,000 \
             records, so a sample of a few thousand lines gives the same numbers.",
            bytes as f64 / (1024.0 * 1024.0),
            MAX_RECORDS_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

fn summary(records: &YourRecords) -> String {
    let n = records.len();
    let mut out = format!(
        "{} record{}, values of {} bytes on average{}.",
        super::keys_job::thousands(n as u64),
        if n == 1 { "" } else { "s" },
        records.values.mean_len(),
        if records.keys.is_some() {
            ", each with its own key"
        } else {
            ""
        }
    );
    let binary = records.binary_values();
    if binary > 0 {
        out.push_str(&format!(
            " {} of them {} not text: sent byte for byte, as a ByteArraySerializer would.",
            super::keys_job::thousands(binary as u64),
            if binary == 1 { "is" } else { "are" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(bytes: &[u8], form: LineForm) -> RecordsInput {
        RecordsInput {
            bytes: bytes.into(),
            form,
        }
    }

    #[test]
    fn records_load_with_a_summary_and_cross_to_the_worker_unchanged() {
        let loaded = input(b"{\"a\":1}\n{\"a\":22}\n", LineForm::Key)
            .load()
            .unwrap();
        assert_eq!(loaded.summary, "2 records, values of 8 bytes on average.");
        for form in [LineForm::Key, LineForm::KeyValue] {
            let i = input(b"k\tv\n", form);
            assert_eq!(RecordsInput::from_message(&i.to_message()), Some(i));
        }
        assert_eq!(RecordsInput::from_message(&[]), None);
        let both = input(b"k1\tv\nk2\tvalue\n", LineForm::KeyValue)
            .load()
            .unwrap();
        assert_eq!(
            both.summary,
            "2 records, values of 3 bytes on average, each with its own key."
        );
    }

    #[test]
    fn binary_values_are_taken_and_said_so() {
        let loaded = input(b"text\n\x00\x01\x02\n\xff\xfe\n", LineForm::Key)
            .load()
            .unwrap();
        assert!(loaded.summary.ends_with(
            "2 of them are not text: sent byte for byte, as a ByteArraySerializer would."
        ));
    }

    #[test]
    fn bad_input_gets_a_clear_message() {
        assert_eq!(
            input(b"", LineForm::Key).load().unwrap_err(),
            "the input is empty: there are no lines to read"
        );
        let long = [b"ok\n".as_slice(), &vec![b'v'; 1_048_576]].concat();
        let too_large = input(&long, LineForm::Key).load().unwrap_err();
        assert!(
            too_large.starts_with("line 2: RecordTooLargeException: The message is"),
            "{too_large}"
        );
        assert!(input(b"no tab\n", LineForm::KeyValue)
            .load()
            .unwrap_err()
            .contains("line 1 has no TAB"));
        let why = check_size(MAX_RECORDS_BYTES + 1).unwrap_err();
        assert!(
            why.contains("up to 16 MB") && why.contains("nothing is uploaded"),
            "{why}"
        );
        assert!(check_size(MAX_RECORDS_BYTES).is_ok());
    }
}
