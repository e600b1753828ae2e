"""The twin's control plane: moto's server plus our extensions, one module per gap."""
