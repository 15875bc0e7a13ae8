"""Download a URL and print one JSON line: seconds to the first byte, to the second
line (a CSV's first row after its header) and to the end, and the bytes read.
Usage: python bench/download.py URL"""

import json
import sys
import time
import urllib.request


def main(url: str) -> None:
    start = time.perf_counter()
    first_byte = second_line = None
    size = lines = 0
    with urllib.request.urlopen(url) as response:
        while block := response.read1(65536):
            now = time.perf_counter() - start
            first_byte = first_byte if first_byte is not None else now
            lines += block.count(b"\n")
            if second_line is None and lines >= 2:
                second_line = now
            size += len(block)
    print(
        json.dumps(
            {
                "url": url,
                "first_byte_s": round(first_byte, 3),
                "first_row_s": round(second_line, 3),
                "seconds": round(time.perf_counter() - start, 3),
                "bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
