//! Every codec side by side at the current batch.size and linger.ms (the measuring worker
//! runs them after the trade-off runs; see `engine::codec_comparison`).

use crate::engine::codec_comparison::{CodecRow, CODECS};
use crate::engine::config::CompressionType;
use leptos::prelude::*;

/// Bytes as people read them: "812 B", "15.9 KiB", "3.2 MiB".
pub fn bytes(b: f64) -> String {
    if b < 1024.0 {
        format!("{b:.0} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KiB", b / 1024.0)
    } else {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    }
}

/// One row's cells: codec, compressed batch size, ratio, bytes on the wire per second,
/// the producer's compression time per batch.
pub fn cells(row: &CodecRow) -> [String; 5] {
    [
        row.codec.as_str().to_string(),
        bytes(row.batch_size_avg),
        format!("{:.2}", row.compression_rate_avg),
        format!("{}/s", bytes(row.wire_bytes_per_sec)),
        if row.codec == CompressionType::None {
            "–".to_string()
        } else {
            format!("{:.0} µs", row.compress_us_per_batch)
        },
    ]
}

/// The table; `current` is the codec the settings have, marked in its row.
#[component]
pub fn CodecTable(
    #[prop(into)] rows: Signal<Vec<CodecRow>>,
    #[prop(into)] current: Signal<CompressionType>,
) -> impl IntoView {
    let body = move || {
        rows.with(|rows| {
            rows.iter()
                .map(|row| {
                    let [codec, batch, ratio, wire, time] = cells(row);
                    let mine = row.codec == current.get();
                    view! {
                        <tr
                            class:codec-table__current=mine
                            aria-current=mine.then_some("true")
                            data-codec=row.codec.as_str()
                        >
                            <th scope="row">{codec}</th>
                            <td class="num">{batch}</td>
                            <td class="num">{ratio}</td>
                            <td class="num">{wire}</td>
                            <td class="num">{time}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let pending = move || rows.with(|r| r.len() < CODECS.len());
    view! {
        <div class="codec-table" data-testid="codec-table" aria-busy=move || pending().to_string()>
            <table>
                <caption>
                    "Every codec at this batch.size and linger.ms, from a full-speed run each "
                    "(batches compressed for real, in Kafka's record-batch format)"
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"codec"</th>
                        <th scope="col" class="num">"batch size"</th>
                        <th scope="col" class="num">"ratio"</th>
                        <th scope="col" class="num">"on the wire"</th>
                        <th scope="col" class="num">"compress time"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            <p class="field__help">
                {move || if pending() {
                    "Comparing the codecs…"
                } else {
                    "Codec: compression.type. Batch size: batch-size-avg, compressed. Ratio: \
                     compression-rate-avg (compressed / uncompressed; 1.00 is no gain). On \
                     the wire: record-batch bytes per second. Compress time: the producer's \
                     application thread per batch, at each codec's single-core speed \
                     (lzbench), which the runs also charge."
                }}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_the_table_shows_them() {
        let row = CodecRow {
            codec: CompressionType::Zstd,
            batch_size_avg: 4321.0,
            compression_rate_avg: 0.2549,
            wire_bytes_per_sec: 3.5 * 1024.0 * 1024.0,
            records_per_sec: 1.0,
            compress_us_per_batch: 33.4,
        };
        assert_eq!(
            cells(&row),
            ["zstd", "4.2 KiB", "0.25", "3.5 MiB/s", "33 µs"]
        );
        let none = CodecRow {
            codec: CompressionType::None,
            batch_size_avg: 812.0,
            ..row
        };
        assert_eq!(cells(&none)[0], "none");
        assert_eq!(cells(&none)[1], "812 B");
        assert_eq!(cells(&none)[4], "–");
        let names: Vec<&str> = CODECS.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["none", "gzip", "snappy", "lz4", "zstd"]);
    }
}
