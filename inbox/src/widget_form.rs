//! The widget settings form model (being built).
