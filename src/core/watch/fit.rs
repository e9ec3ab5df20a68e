//! FIT, the binary format most watches export: read message by message with `fitparser`,
//! keeping only the session's figures and a running account of the records, so a long file
//! costs no more memory than its bytes. The header is checked here first, whole: the decoder
//! trusts the sizes it declares.
use chrono::{DateTime, Utc};
use fitparser::de::{FitObject, FitStreamProcessor};
use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataRecord, Value};

use super::Figures;

/// The figures in a FIT file's bytes.
pub(super) fn read(bytes: &[u8]) -> Result<Figures, String> {
    let end = whole(bytes)?;
    frame(
        &bytes[usize::from(bytes[0])..end - 2],
        usize::from(bytes[0]),
    )?;
    // A file may chain others after the first; the first is the activity.
    let mut input = &bytes[..end];
    let mut processor = FitStreamProcessor::new();
    let mut seen = Seen::default();
    while !input.is_empty() {
        let at = end - input.len();
        let (rest, object) = processor
            .deserialize_next(input)
            .map_err(|e| said(&e, at))?;
        if rest.len() >= input.len() {
            // Every object takes at least a byte; one that takes none would never end.
            return Err(format!("it cannot be read past byte {at}"));
        }
        if let FitObject::DataMessage(message) = object {
            let record = processor
                .decode_message(message)
                .map_err(|e| said(&e, at))?;
            seen.take(&record);
        }
        input = rest;
    }
    Ok(seen.figures())
}

/// The length of the first FIT file in `bytes` (header, data and checksum), once its header
/// is whole and the data it promises is there.
fn whole(bytes: &[u8]) -> Result<usize, String> {
    if bytes.len() < 12 {
        return Err(format!(
            "it is {} bytes, shorter than a FIT header (12 bytes)",
            bytes.len()
        ));
    }
    if &bytes[8..12] != b".FIT" {
        return Err("it lacks the '.FIT' signature at byte 8".into());
    }
    let header = usize::from(bytes[0]);
    if header != 12 && header != 14 {
        return Err(format!(
            "its header says it is {header} bytes long; a FIT header is 12 or 14"
        ));
    }
    let data = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let end = header + data + 2;
    if bytes.len() < end {
        return Err(format!(
            "it is cut short: its header promises {end} bytes and the file has {}",
            bytes.len()
        ));
    }
    Ok(end)
}

/// Walks the messages in `data` (which starts at byte `offset` of the file) by their sizes
/// alone: each must end inside the data, each data message's local type must be defined
/// before it, and each field must be a whole number of its type's values. The decoder is
/// given only data that passes, since it handles neither a message running past the data
/// (it can panic there) nor a field of odd size (it writes to standard error about it).
fn frame(data: &[u8], offset: usize) -> Result<(), String> {
    let mut sizes: [Option<usize>; 16] = [None; 16];
    let mut at = 0;
    while at < data.len() {
        let header = data[at];
        let (local, definition) = match header {
            h if h & 0x80 != 0 => (usize::from((h >> 5) & 0x03), false),
            h => (usize::from(h & 0x0F), h & 0x40 != 0),
        };
        let byte = offset + at;
        let size = if definition {
            let (length, body) = definition_size(&data[at..])
                .map_err(|why| format!("the definition at byte {byte} {why}"))?;
            sizes[local] = Some(body);
            length
        } else {
            let body = sizes[local].ok_or_else(|| {
                format!(
                    "the message at byte {byte} is of local type {local}, which was never defined"
                )
            })?;
            1 + body
        };
        if at + size > data.len() {
            return Err(format!(
                "the message at byte {byte} runs past the end of the data its header declares"
            ));
        }
        at += size;
    }
    Ok(())
}

/// A definition message's own length, and the length of the data messages it defines
/// (header byte aside).
fn definition_size(m: &[u8]) -> Result<(usize, usize), String> {
    let short = || "runs past the end of the data its header declares".to_string();
    let fields = usize::from(*m.get(5).ok_or_else(short)?);
    let mut length = 6 + 3 * fields;
    let mut body = 0;
    for f in m.get(6..length).ok_or_else(short)?.chunks(3) {
        let (size, base) = (usize::from(f[1]), f[2] & 0x9F);
        if size % value_size(base) != 0 {
            return Err(format!(
                "gives field {} {size} bytes, which its type (0x{base:02X}) cannot fill",
                f[0]
            ));
        }
        body += size;
    }
    if m[0] & 0x20 != 0 {
        let developer = usize::from(*m.get(length).ok_or_else(short)?);
        let end = length + 1 + 3 * developer;
        for f in m.get(length + 1..end).ok_or_else(short)?.chunks(3) {
            body += usize::from(f[1]);
        }
        length = end;
    }
    Ok((length, body))
}

/// The size of one value of a FIT base type (its number with the endianness bit masked).
fn value_size(base: u8) -> usize {
    match base {
        0x83 | 0x84 | 0x8B => 2,
        0x85 | 0x86 | 0x88 | 0x8C => 4,
        0x89 | 0x8E | 0x8F | 0x90 => 8,
        _ => 1,
    }
}

/// A decoder's error in the runner's words, with where it happened.
fn said(e: &ErrorKind, at: usize) -> String {
    match e {
        ErrorKind::InvalidCrc(..) => {
            "its checksum does not match what it holds (the file is damaged)".into()
        }
        ErrorKind::UnexpectedEof(_) => {
            format!("a message from byte {at} runs past the end of the data (cut short?)")
        }
        ErrorKind::MissingDefinitionMessage(n, _) => {
            format!("the message at byte {at} is of local type {n}, which was never defined")
        }
        ErrorKind::ParseError(..) => format!("the message at byte {at} is not well formed"),
        other => format!("at byte {at}: {other}"),
    }
}

/// What the messages said so far.
#[derive(Debug, Default)]
struct Seen {
    /// The sessions': earliest start, latest end, elapsed times and distances added up,
    /// average temperatures.
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    elapsed: Option<f64>,
    distance: Option<f64>,
    temperatures: Vec<f64>,
    /// The records': first and last time, the furthest distance, temperatures added up.
    first_record: Option<DateTime<Utc>>,
    last_record: Option<DateTime<Utc>>,
    record_distance: Option<f64>,
    record_temperature: (f64, u32),
}

impl Seen {
    fn take(&mut self, record: &FitDataRecord) {
        let field = |name: &str| {
            record
                .fields()
                .iter()
                .find(|f| f.name() == name)
                .map(|f| f.value())
        };
        let time = |name| field(name).and_then(moment);
        let number = |name| field(name).and_then(number);
        match record.kind() {
            MesgNum::Session => {
                self.start = min(self.start, time("start_time"));
                self.end = max(self.end, time("timestamp"));
                self.elapsed = add(self.elapsed, number("total_elapsed_time"));
                self.distance = add(self.distance, number("total_distance"));
                self.temperatures.extend(number("avg_temperature"));
            }
            MesgNum::Record => {
                let t = time("timestamp");
                self.first_record = min(self.first_record, t);
                self.last_record = max(self.last_record, t);
                self.record_distance = max(self.record_distance, number("distance"));
                if let Some(c) = number("temperature") {
                    self.record_temperature.0 += c;
                    self.record_temperature.1 += 1;
                }
            }
            _ => {}
        }
    }

    /// The sessions' figures, the records' where a session does not say.
    fn figures(&self) -> Figures {
        let mean = |sum: f64, n: usize| (n > 0).then(|| sum / n as f64);
        let (sum, n) = self.record_temperature;
        Figures {
            started: self.start.or(self.first_record),
            ended: self.end.or(self.last_record),
            duration_s: self.elapsed,
            distance_m: self.distance.or(self.record_distance),
            temperature_c: mean(self.temperatures.iter().sum(), self.temperatures.len())
                .or_else(|| mean(sum, n as usize)),
        }
    }
}

fn moment(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Timestamp(t) => Some(t.with_timezone(&Utc)),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Byte(n) | Value::UInt8(n) | Value::UInt8z(n) | Value::Enum(n) => f64::from(*n),
        Value::SInt8(n) => f64::from(*n),
        Value::SInt16(n) => f64::from(*n),
        Value::UInt16(n) | Value::UInt16z(n) => f64::from(*n),
        Value::SInt32(n) => f64::from(*n),
        Value::UInt32(n) | Value::UInt32z(n) => f64::from(*n),
        Value::Float32(n) => f64::from(*n),
        Value::Float64(n) => *n,
        Value::SInt64(n) => *n as f64,
        Value::UInt64(n) | Value::UInt64z(n) => *n as f64,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

fn min<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b < a { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn max<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, b) => a.or(b),
    }
}
