"""Available-to-promise and the delivery promise: what can be sold, from where, and when
it arrives."""
