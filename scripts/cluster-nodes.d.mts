// Types of cluster-nodes.mjs, for the TypeScript that starts nodes the same way (bench, tests).
export declare const nodeCertDir: (dataDir: string) => string;
export declare const recordKeyFile: (dataDir: string) => string;
export declare const snapshotKeyFile: (centralDir: string) => string;
export declare const nodeCertIssueArgs: (centralDir: string, id: string, dataDir: string) => string[];
/** `tls`: a TLS data port too; absent: `--no-tls`. */
export interface ProvincePorts { admin: number; http: number; node: number; tls?: number }
export declare function provinceStartArgs(o: {
  dataDir: string; id: string; code: string; centralDir: string; centralNodeUrl: string; ports: ProvincePorts; extra?: string[];
}): string[];
export interface ProvinceNodeEntry { id: string; role: 'provincial'; province: string; url: string; recordKey: string }
export declare function provinceNodeEntry(o: { dataDir: string; id: string; code: string; nodePort: number }): Promise<ProvinceNodeEntry>;
