export {
  createLocalGateway,
  type GatewayIntegrations,
  type LocalGateway,
  type LocalGatewayOptions,
} from './local-gateway';
export {
  IGNORED_FEATURES,
  REFUSED_FEATURES,
  SUPPORTED_FEATURES,
  UnsupportedFeatureError,
} from './supported-features';
