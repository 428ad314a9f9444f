//! "How Producers Work": six ideas, each linking to the section that shows it.

use super::partition_assignment::SEND_BURST_ACTION;
use super::section::SectionHeader;
use leptos::prelude::*;

struct Card {
    title: &'static str,
    body: &'static str,
    /// The section that demonstrates it, and the link's text.
    target: &'static str,
    link: &'static str,
    /// What the link does there besides scrolling to it (its `data-action`).
    action: Option<&'static str>,
    icon: &'static str,
}

const CARDS: &[Card] = &[
    Card {
        title: "Simple by Design",
        body: "A producer joins no group and coordinates with no other producer. It asks \
               the cluster for metadata, learns which broker leads each partition, and \
               sends each batch straight to that partition leader.",
        target: "#write-path",
        link: "See the write path",
        action: None,
        icon: "M4 12h12m0 0-4-4m4 4-4 4",
    },
    Card {
        title: "Key-Based Routing",
        body: "A record with a key goes to murmur2(key) made positive, modulo the number \
               of partitions. The same key always lands on the same partition, so its \
               records stay in order, as long as the partition count does not change.",
        target: "#partition-assignment",
        link: "Hash a key",
        action: None,
        icon: "M5 7h14M5 12h14M5 17h8",
    },
    Card {
        title: "Sticky Partitioning",
        body: "Records without a key stick to one partition to fill a batch, then move on. \
               Kafka 2.4 moved on whenever a new batch began (KIP-480); since 3.3 the \
               built-in partitioner moves on after batch.size to 2 × batch.size bytes, at a \
               batch boundary, favouring brokers with shorter queues (KIP-794).",
        target: "#partition-assignment",
        link: "Send 100 without a key",
        action: Some(SEND_BURST_ACTION),
        icon: "M6 6h5v5H6zM13 13h5v5h-5z",
    },
    Card {
        title: "Replicated Durability",
        body: "Each partition has a leader and followers that fetch from it. Replicas that \
               keep up form the in-sync replica set (ISR). A record is committed once it is \
               below the high watermark: every ISR member has it.",
        target: "#write-path",
        link: "Watch the high watermark",
        action: None,
        icon: "M12 4v16M6 8v8M18 8v8",
    },
    Card {
        title: "Batch & Compress",
        body: "Records wait per partition in batches of up to batch.size bytes, for at most \
               linger.ms. Compression applies to a whole batch, so bigger batches of \
               similar records compress better and cost fewer requests.",
        target: "#throughput-vs-durability",
        link: "Tune batch.size and linger.ms",
        action: None,
        icon: "M5 8h14v10H5zM8 5h8",
    },
    Card {
        title: "Multi-Language Support",
        body: "Java, C/C++, Python, Go and .NET producers share most config names, because \
               most non-Java clients wrap librdkafka. Names and defaults still differ in \
               places, and librdkafka's default partitioner does not hash keys like Java.",
        target: "#client-compare",
        link: "Compare the clients",
        action: None,
        icon: "M4 6h16M4 12h10M4 18h6",
    },
];

#[component]
pub fn HowProducersWork() -> impl IntoView {
    view! {
        <section id="how-producers-work" class="section" aria-labelledby="how-producers-work-title">
            <SectionHeader title_id="how-producers-work-title" title="How Producers Work">
                "Six ideas explain almost everything a Kafka producer does. Each card links to "
                "the part of this page where you can watch it happen."
            </SectionHeader>
            <ul class="cards" role="list">
                {CARDS
                    .iter()
                    .map(|card| {
                        view! {
                            <li class="card">
                                <svg class="card__icon" viewBox="0 0 24 24" aria-hidden="true">
                                    <path d=card.icon />
                                </svg>
                                <h3 class="card__title">{card.title}</h3>
                                <p class="card__body">{card.body}</p>
                                <a class="card__link" href=card.target data-action=card.action>
                                    {card.link}
                                    <span aria-hidden="true">" →"</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
