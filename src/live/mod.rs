//! Live capture backends and the pcapng writer. (Being written: see issue 7.)
