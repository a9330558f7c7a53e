//! Game message framing from protocol descriptions. (Being written: see issue 7.)
