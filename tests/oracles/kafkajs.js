// kafkajs's own partitioners (npm kafkajs, pinned in package.json), called as its producer
// calls them. Reads lines "<partition count> <key hex>" on stdin and prints, per line, the
// partition Partitioners.DefaultPartitioner and Partitioners.LegacyPartitioner return for
// a message with that key (a Buffer) in a topic of that many partitions, all with a leader.
'use strict'
const { Partitioners } = require('kafkajs')
const { version } = require('kafkajs/package.json')

process.stderr.write(`kafkajs ${version}\n`)
const byDefault = Partitioners.DefaultPartitioner()
const legacy = Partitioners.LegacyPartitioner()
const metadata = new Map()
const partitionMetadata = n => {
  if (!metadata.has(n)) {
    metadata.set(
      n,
      Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0 }))
    )
  }
  return metadata.get(n)
}

const lines = require('fs').readFileSync(0, 'utf8').split('\n')
lines.pop() // the text ends with a newline
const out = lines.map(line => {
  const [n, hex] = line.split(' ')
  const args = {
    topic: 'topic',
    partitionMetadata: partitionMetadata(Number(n)),
    message: { key: Buffer.from(hex, 'hex') },
  }
  return `${byDefault(args)} ${legacy(args)}`
})
process.stdout.write(out.join('\n') + '\n')
