//! A growable list kept in fixed-size chunks, for the per-frame tables of a capture with tens
//! of millions of frames: growing never copies what is stored and never holds twice the
//! memory (a `Vec` doubles its buffer and copies), and at most one chunk is partly empty.

/// Items per chunk.
const CHUNK: usize = 1 << 16;

#[derive(Clone, Debug)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T: Copy> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(c) if c.len() < CHUNK => c.push(item),
            _ => {
                let mut c = Vec::with_capacity(CHUNK);
                c.push(item);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    pub fn extend_from_slice(&mut self, items: &[T]) {
        for &i in items {
            self.push(i);
        }
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK).and_then(|c| c.get(i % CHUNK))
    }

    /// Bytes of heap held.
    pub fn heap_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity() * std::mem::size_of::<T>()).sum::<usize>() + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_across_chunks_without_doubling() {
        let mut c = Chunked::default();
        let n = CHUNK * 3 + 5;
        for i in 0..n {
            c.push(i as u32);
        }
        c.extend_from_slice(&[7, 8, 9]);
        assert_eq!(c.len(), n + 3);
        assert_eq!(c.get(0), Some(&0));
        assert_eq!(c.get(CHUNK), Some(&(CHUNK as u32)));
        assert_eq!(c.get(n + 2), Some(&9));
        assert_eq!(c.get(n + 3), None);
        // Four chunks of 2^16 four-byte items, no more.
        assert!(c.heap_bytes() <= 4 * CHUNK * 4 + 1024, "{}", c.heap_bytes());
    }
}
