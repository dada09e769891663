
import { startEmulator } from "cxone-outbound/emulator";

const emu = await startEmulator({ platform: "cxone", port: 0, seed: 42, contacts: 50_000 });
const { client, accessKeys, tenant, skills } = emu.fixtures;
// issuer = api endpoint = emu.url
await emu.close();
