// The stand-ins (moto, free ports, loopback sshd) live in LabRehearsal, shared with `labctl demo`.
@_exported import LabRehearsal
