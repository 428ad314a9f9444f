//! Records from your own file: `workload.keys=file:PATH` and `workload.values=file:PATH`,
//! one key or value per line, sent in the file's order and cycled.
//!
//! The engine reads no files: the setting only names one, and whoever runs the engine
//! hands over its bytes (the CLI from the file system, the page from the file the user
//! picked) with [`load_workload_files`]. Lines split as in [`keys::lines`]. Values may
//! hold any bytes (text that is not UTF-8 is taken as it is); keys must not hold a NUL
//! byte (a binary file is not one key per line).

use super::config::{ConfigError, KeyDistribution, SimConfig};
use super::keys::{self, KeyFileError, LineForm};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The prefix that names a file in `workload.keys` and `workload.values`.
pub const FILE_PREFIX: &str = "file:";

/// A file named by a setting, with its lines once loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordFile {
    /// What follows `file:`.
    pub path: String,
    #[serde(skip)]
    lines: Option<Arc<[Vec<u8>]>>,
}

/// What a file's lines become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    Keys,
    Values,
}

impl RecordFile {
    /// `file:PATH` (PATH not empty), or `None` for any other text.
    pub fn parse(value: &str) -> Option<RecordFile> {
        let path = value.strip_prefix(FILE_PREFIX)?;
        (!path.is_empty()).then(|| RecordFile {
            path: path.to_string(),
            lines: None,
        })
    }

    /// The lines, once loaded.
    pub fn lines(&self) -> Option<&Arc<[Vec<u8>]>> {
        self.lines.as_ref()
    }

    /// Splits `bytes` into lines and checks each as a record's key or value against
    /// `max.request.size` (`KafkaProducer.ensureValidRecordSize`, with the other part null).
    pub fn load(
        &mut self,
        bytes: &[u8],
        role: LineRole,
        max_request_size: u32,
    ) -> Result<(), KeyFileError> {
        let mut lines = Vec::new();
        for (i, line) in keys::lines(bytes).enumerate() {
            let n = i as u64 + 1;
            if role == LineRole::Keys && line.contains(&0) {
                return Err(KeyFileError::Binary { line: n });
            }
            let len = Some(line.len() as u64);
            match role {
                LineRole::Keys => keys::check_record_size(n, len, None, max_request_size)?,
                LineRole::Values => keys::check_record_size(n, None, len, max_request_size)?,
            }
            lines.push(line.to_vec());
        }
        if lines.is_empty() {
            return Err(KeyFileError::Empty);
        }
        self.lines = Some(lines.into());
        Ok(())
    }

    /// The mean line length, rounded (0 before loading).
    pub fn mean_len(&self) -> u32 {
        match &self.lines {
            Some(lines) if !lines.is_empty() => {
                let total: u64 = lines.iter().map(|l| l.len() as u64).sum();
                (total as f64 / lines.len() as f64).round() as u32
            }
            _ => 0,
        }
    }
}

impl fmt::Display for RecordFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{FILE_PREFIX}{}", self.path)
    }
}

/// Reads every file the workload names with `read(path)` and loads it. Values from a file
/// also set `workload.value.size` to their mean length (what the summary's MB/sec uses).
pub fn load_workload_files(
    config: &mut SimConfig,
    mut read: impl FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<(), ConfigError> {
    let max = config.producer.max_request_size;
    let mut load = |key: &str, file: &mut RecordFile, role: LineRole| {
        let refuse = |why: String| ConfigError {
            key: key.to_string(),
            message: format!("{key}={file}: {why}"),
        };
        let bytes = read(&file.path).map_err(&refuse)?;
        let mut loaded = file.clone();
        loaded
            .load(&bytes, role, max)
            .map_err(|e| refuse(e.to_string()))?;
        *file = loaded;
        Ok(())
    };
    if let KeyDistribution::File(file) = &mut config.workload.keys {
        load("workload.keys", file, LineRole::Keys)?;
    }
    if let Some(file) = &mut config.workload.values {
        load("workload.values", file, LineRole::Values)?;
        config.workload.value_size = file.mean_len();
    }
    Ok(())
}

/// Records the reader brings to the page: one value per line (any bytes), or keys and
/// values together when each line is `key<TAB>value`. The trade-off runs send them in
/// turn, cycled.
#[derive(Clone, Debug, PartialEq)]
pub struct YourRecords {
    pub values: RecordFile,
    pub keys: Option<RecordFile>,
}

impl YourRecords {
    /// The name the loaded lines go by in `workload.values` and `workload.keys`.
    pub const PATH: &'static str = "your-records";

    /// Splits `bytes` into records (`form`: values alone, or `key<TAB>value`), refusing
    /// an empty input and a record larger than `max_request_size`
    /// (`KafkaProducer.ensureValidRecordSize`).
    pub fn parse(
        bytes: &[u8],
        form: LineForm,
        max_request_size: u32,
    ) -> Result<Self, KeyFileError> {
        let named = |lines: Vec<Vec<u8>>| RecordFile {
            path: Self::PATH.to_string(),
            lines: Some(lines.into()),
        };
        if form == LineForm::Key {
            let mut values = named(Vec::new());
            values.load(bytes, LineRole::Values, max_request_size)?;
            return Ok(YourRecords { values, keys: None });
        }
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        for (i, line) in keys::lines(bytes).enumerate() {
            let n = i as u64 + 1;
            let tab = line
                .iter()
                .position(|&b| b == b'\t')
                .ok_or(KeyFileError::NoTab { line: n })?;
            let (key, value) = (&line[..tab], &line[tab + 1..]);
            let len = |b: &[u8]| Some(b.len() as u64);
            keys::check_record_size(n, len(key), len(value), max_request_size)?;
            keys.push(key.to_vec());
            values.push(value.to_vec());
        }
        if values.is_empty() {
            return Err(KeyFileError::Empty);
        }
        Ok(YourRecords {
            values: named(values),
            keys: Some(named(keys)),
        })
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.values.lines().map_or(0, |l| l.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values that are not UTF-8 text (sent as they are, byte for byte).
    pub fn binary_values(&self) -> usize {
        self.values.lines().map_or(0, |lines| {
            lines
                .iter()
                .filter(|v| std::str::from_utf8(v).is_err() || v.contains(&0))
                .count()
        })
    }

    /// Makes `config`'s workload send these records: the values (and the keys, when
    /// given) in turn, with `workload.value.size` their mean length.
    pub fn apply_to(&self, config: &mut SimConfig) {
        config.workload.values = Some(self.values.clone());
        config.workload.value_size = self.values.mean_len();
        if let Some(keys) = &self.keys {
            config.workload.keys = KeyDistribution::File(keys.clone());
        }
    }
}

/// `SimConfig::validate`'s check: a named file must have been loaded.
pub fn check_loaded(config: &SimConfig) -> Result<(), ConfigError> {
    let unread = |key: &str, file: &RecordFile| ConfigError {
        key: key.to_string(),
        message: format!("{key}={file}: the file was not read"),
    };
    if let KeyDistribution::File(file) = &config.workload.keys {
        if file.lines.is_none() {
            return Err(unread("workload.keys", file));
        }
    }
    match &config.workload.values {
        Some(file) if file.lines.is_none() => Err(unread("workload.values", file)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::record::estimate_batch_size_upper_bound;

    fn loaded(bytes: &[u8], role: LineRole) -> Result<Vec<Vec<u8>>, KeyFileError> {
        let mut f = RecordFile::parse("file:x").unwrap();
        f.load(bytes, role, 1_048_576)?;
        Ok(f.lines().unwrap().to_vec())
    }

    #[test]
    fn the_workload_sends_the_files_lines_in_turn() {
        use crate::engine::rng::SimRng;
        use crate::engine::workload::Workload;
        let mut c = SimConfig::default();
        c.set("workload.keys", "file:k").unwrap();
        c.set("workload.values", "file:v").unwrap();
        load_workload_files(&mut c, |path| {
            Ok(if path == "k" {
                b"a\nb\nc\n".to_vec()
            } else {
                b"one\n\xff\xfe\n".to_vec()
            })
        })
        .unwrap();
        let mut w = Workload::new(&c.workload, SimRng::new(1));
        let mut sent = Vec::new();
        for n in 0..6 {
            let r = w.next_record(n % 3 != 2);
            sent.push((r.key.unwrap().to_vec(), r.value.to_vec(), r.value_len));
        }
        let expect = |k: &[u8], v: &[u8], len: u32| (k.to_vec(), v.to_vec(), len);
        assert_eq!(
            sent,
            vec![
                expect(b"a", b"one", 3),
                expect(b"b", b"\xff\xfe", 2),
                // No bytes asked for: the length still follows the file.
                expect(b"c", b"", 3),
                expect(b"a", b"\xff\xfe", 2),
                expect(b"b", b"one", 3),
                expect(b"c", b"", 2),
            ]
        );
    }

    #[test]
    fn only_file_prefixed_paths_name_a_file() {
        assert_eq!(RecordFile::parse("file:a/b.txt").unwrap().path, "a/b.txt");
        assert!(RecordFile::parse("file:").is_none());
        assert!(RecordFile::parse("list:a").is_none());
        assert_eq!(RecordFile::parse("file:k").unwrap().to_string(), "file:k");
    }

    #[test]
    fn values_take_any_bytes_and_keys_refuse_nul() {
        let bytes = b"\xff\xfe\x00raw\r\n{\"a\":1}\n";
        let values = loaded(bytes, LineRole::Values).unwrap();
        assert_eq!(
            values,
            vec![b"\xff\xfe\x00raw".to_vec(), b"{\"a\":1}".to_vec()]
        );
        assert_eq!(
            loaded(bytes, LineRole::Keys).unwrap_err(),
            KeyFileError::Binary { line: 1 }
        );
        assert_eq!(
            loaded(b"", LineRole::Values).unwrap_err(),
            KeyFileError::Empty
        );
    }

    #[test]
    fn a_value_over_max_request_size_is_refused() {
        let mut f = RecordFile::parse("file:x").unwrap();
        let err = f.load(&[b'v'; 200], LineRole::Values, 100).unwrap_err();
        let size = u64::from(estimate_batch_size_upper_bound(None, Some(200)));
        assert_eq!(
            err,
            KeyFileError::RecordTooLarge {
                line: 1,
                size,
                max_request_size: 100
            }
        );
        assert!(f.lines().is_none());
    }

    #[test]
    fn loading_fills_both_files_and_the_mean_value_size() {
        let mut c = SimConfig::default();
        c.set("workload.keys", "file:keys.txt").unwrap();
        c.set("workload.values", "file:values.txt").unwrap();
        assert!(check_loaded(&c).is_err());
        assert!(c.validate().is_err());
        load_workload_files(&mut c, |path| match path {
            "keys.txt" => Ok(b"k1\nk2\n".to_vec()),
            "values.txt" => Ok(b"ab\nabcd\n".to_vec()),
            _ => Err("no such file".into()),
        })
        .unwrap();
        assert_eq!(c.workload.value_size, 3);
        c.validate().unwrap();
        assert_eq!(c.get("workload.values").unwrap(), "file:values.txt");
        assert_eq!(c.get("workload.keys").unwrap(), "file:keys.txt");

        let mut c = SimConfig::default();
        c.set("workload.values", "file:gone.txt").unwrap();
        c.unset("workload.values").unwrap();
        assert_eq!(c.workload.values, None);
        c.set("workload.values", "file:gone.txt").unwrap();
        let err = load_workload_files(&mut c, |_| Err("No such file".into())).unwrap_err();
        assert_eq!(err.message, "workload.values=file:gone.txt: No such file");
    }

    #[test]
    fn your_records_take_values_or_key_tab_value_lines() {
        let values =
            YourRecords::parse(b"{\"a\":1}\n\xff\x00raw\n", LineForm::Key, 1_048_576).unwrap();
        assert_eq!(values.len(), 2);
        assert_eq!(values.binary_values(), 1);
        assert_eq!(values.keys, None);
        let mut c = SimConfig::default();
        values.apply_to(&mut c);
        assert_eq!(c.workload.value_size, 6);
        assert!(c.validate().is_ok());
        assert_eq!(
            c.workload.values.as_ref().unwrap().lines().unwrap()[1],
            b"\xff\x00raw".to_vec()
        );

        let both = YourRecords::parse(
            b"user-1\t{\"x\":1}\nuser-2\ta\tb\n",
            LineForm::KeyValue,
            1_048_576,
        )
        .unwrap();
        assert_eq!(
            both.keys.as_ref().unwrap().lines().unwrap()[1],
            b"user-2".to_vec()
        );
        assert_eq!(both.values.lines().unwrap()[1], b"a\tb".to_vec());
        let mut c = SimConfig::default();
        both.apply_to(&mut c);
        assert!(matches!(c.workload.keys, KeyDistribution::File(_)));
        assert!(c.validate().is_ok());

        let err = |bytes: &[u8], form| {
            YourRecords::parse(bytes, form, 100)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(err(b"", LineForm::Key), KeyFileError::Empty.to_string());
        assert!(err(b"k\tv\nno tab\n", LineForm::KeyValue).contains("line 2 has no TAB"));
        let long = [b"k\t".as_slice(), &[b'v'; 100]].concat();
        let too_large = err(&long, LineForm::KeyValue);
        // 61 (batch header) + 21 (MAX_RECORD_OVERHEAD) + 1 + 1 (key, its length) + 100 + 2
        // (value, its varint length) + 1 (headers): estimateBatchSizeUpperBound.
        assert!(
            too_large.contains("line 1: RecordTooLargeException: The message is 187 bytes"),
            "{too_large}"
        );
        assert!(err(&[b'v'; 100], LineForm::Key).contains("RecordTooLargeException"));
    }
}
