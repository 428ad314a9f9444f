// sarama's own partitioners (Debian's golang-github-shopify-sarama-dev source). Reads lines
// "<partition count> <key hex>" on stdin and prints, per line, the partition
// sarama.NewHashPartitioner and sarama.NewReferenceHashPartitioner return for a message
// with that key.
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/Shopify/sarama"
)

func main() {
	hash := sarama.NewHashPartitioner("topic")
	reference := sarama.NewReferenceHashPartitioner("topic")
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		fields := strings.SplitN(in.Text(), " ", 2)
		key, err := hex.DecodeString(fields[1])
		check(err)
		n, err := strconv.Atoi(fields[0])
		check(err)
		msg := &sarama.ProducerMessage{Key: sarama.ByteEncoder(key)}
		h, err := hash.Partition(msg, int32(n))
		check(err)
		r, err := reference.Partition(msg, int32(n))
		check(err)
		fmt.Fprintf(out, "%d %d\n", h, r)
	}
	check(in.Err())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
