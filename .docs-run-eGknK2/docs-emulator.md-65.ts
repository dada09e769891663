
import { startEmulator } from "cxone-outbound/emulator";

const emu = await startEmulator({ port: 0, seed: 42, calls: 50_000, operationDelayMs: 100 });
const { clientId, clientSecret } = emu.fixtures.clients[0]!; // the first of the fixture clients
// ... point the client at emu.url ...
await emu.close();
