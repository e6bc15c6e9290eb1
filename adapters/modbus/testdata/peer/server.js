// An independent Modbus TCP server (jsmodbus) for the Go tests of
// adapters/modbus. It holds 512 holding registers; a write beyond them is
// answered with exception 2 (illegal data address).
//
// usage: node server.js [clamp-address clamp-max]
//   With clamp-address/clamp-max, the register at clamp-address is limited to
//   clamp-max after every write, like a device that enforces its own limit.
//
// It prints one JSON object per line on stdout:
//   {"event":"listening","port":N}
//   {"event":"write","address":A,"quantity":Q,"holding":[...]}  what it holds
//                                                               after a write
// and exits when stdin closes.
'use strict';
const net = require('net');
const Modbus = require('jsmodbus');

const [clampAddr, clampMax] = process.argv.slice(2).map(Number);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const holding = Buffer.alloc(512 * 2);
const netServer = new net.Server();
const server = new Modbus.server.TCP(netServer, { holding });

const words = (addr, n) => Array.from({ length: n }, (_, i) => holding.readUInt16BE((addr + i) * 2));

function report(request) {
    if (!request || !request.body) return; // the first post-write event carries the buffer
    const body = request.body;
    const quantity = body.quantity !== undefined ? body.quantity : 1;
    if (!Number.isNaN(clampAddr) && clampAddr >= body.address && clampAddr < body.address + quantity) {
        if (holding.readUInt16BE(clampAddr * 2) > clampMax) holding.writeUInt16BE(clampMax, clampAddr * 2);
    }
    say({ event: 'write', address: body.address, quantity, holding: words(body.address, quantity) });
}
server.on('postWriteMultipleRegisters', report);
server.on('postWriteSingleRegister', report);

netServer.listen(0, '127.0.0.1', () => say({ event: 'listening', port: netServer.address().port }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
