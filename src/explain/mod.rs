//! The Korean (and English) explanation catalogue of every field and layer. (Being written: see issue 4.)
