// An independent OCPP 1.6J charge point for the Go tests of adapters/ocpp.
// It uses ocpp-rpc in strict mode, so every message either way is validated
// against the official OCPP 1.6 JSON schemas.
//
// usage: node chargepoint.js URL IDENTITY MODE
//   URL       ws://127.0.0.1:PORT/ocpp (the identity is appended)
//   MODE      accept | reject | error | slow   how to answer SetChargingProfile
//             notx                              accept, but never start a transaction
//             late                              accept once a line "answer" comes on stdin
//             drop                              close the socket instead of answering
//
// It prints one JSON object per line on stdout:
//   {"event":"ready","transactionId":N}           after boot, status, transaction, meter values
//   {"event":"SetChargingProfile","params":{...}} for each profile received (what it now holds)
//   {"event":"ClearChargingProfile","params":{...}}
//   {"event":"error","message":"..."}
// and exits when stdin closes.
'use strict';
const { RPCClient, createRPCError } = require('ocpp-rpc');

const [url, identity, mode = 'accept'] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');

async function main() {
    const cli = new RPCClient({
        endpoint: url,
        identity,
        protocols: ['ocpp1.6'],
        strictMode: true,
        reconnect: false,
    });
    const held = {};
    // late: answers wait here until "answer" comes on stdin.
    const waiting = [];
    if (mode === 'late') {
        let buf = '';
        process.stdin.on('data', (d) => {
            buf += d;
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, i).trim();
                buf = buf.slice(i + 1);
                if (line === 'answer') waiting.splice(0).forEach((f) => f());
            }
        });
    }
    cli.handle('SetChargingProfile', ({ params }) => {
        say({ event: 'SetChargingProfile', params });
        switch (mode) {
            case 'reject':
                return { status: 'Rejected' };
            case 'error':
                throw createRPCError('InternalError', 'simulated charger fault');
            case 'slow':
                return new Promise(() => {}); // never answers
            case 'drop':
                setTimeout(() => cli.close({ force: true, code: 1001 }), 10);
                return new Promise(() => {}); // the socket goes before any answer
            case 'late':
                return new Promise((resolve) => waiting.push(() => {
                    say({ event: 'answering' });
                    held[params.csChargingProfiles.chargingProfileId] = params.csChargingProfiles;
                    resolve({ status: 'Accepted' });
                }));
        }
        held[params.csChargingProfiles.chargingProfileId] = params.csChargingProfiles;
        return { status: 'Accepted' };
    });
    cli.handle('ClearChargingProfile', ({ params }) => {
        const known = params.id !== undefined && held[params.id] !== undefined;
        delete held[params.id];
        say({ event: 'ClearChargingProfile', params, held: Object.keys(held).length });
        return { status: known ? 'Accepted' : 'Unknown' };
    });
    cli.handle(({ method }) => {
        throw createRPCError('NotImplemented', `${method} not implemented by the test peer`);
    });

    await cli.connect();
    const now = () => new Date().toISOString();
    await cli.call('BootNotification', { chargePointVendor: 'v2gdesk-testpeer', chargePointModel: 'ocpp-rpc-strict' });
    await cli.call('Heartbeat', {});
    await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
    let transactionId = 0;
    if (mode !== 'notx') {
        const tx = await cli.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: now() });
        transactionId = tx.transactionId;
        await cli.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: now() });
        await cli.call('MeterValues', {
            connectorId: 1,
            transactionId,
            meterValue: [{
                timestamp: now(),
                sampledValue: [
                    { value: '7200', measurand: 'Power.Active.Import', unit: 'W', context: 'Sample.Periodic' },
                    { value: '55', measurand: 'SoC', unit: 'Percent', location: 'EV' },
                    { value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
                ],
            }],
        });
    }
    say({ event: 'ready', transactionId });

    process.stdin.on('end', async () => {
        await cli.close({ force: true }).catch(() => {});
        process.exit(0);
    });
    process.stdin.resume();
}

main().catch((err) => {
    say({ event: 'error', message: String(err && err.message || err) });
    process.exit(1);
});
