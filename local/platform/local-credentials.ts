/** The access key every local endpoint accepts (s3rver is started to accept it too). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
