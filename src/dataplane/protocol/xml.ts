// Text placed in XML the exchange writes (errors, clientList): markup characters as references.
export const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
