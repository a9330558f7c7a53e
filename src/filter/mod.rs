//! Wireshark display filters over dissected fields. (Being written: see issue 3.)
