//! The business-hours form model (being built).
