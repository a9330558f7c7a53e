//! Lesson packs: format, parser, checker. (Being written: see issue 6.)
