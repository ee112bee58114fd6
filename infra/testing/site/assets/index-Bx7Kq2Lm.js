console.log('storefront');
//# sourceMappingURL=index-Bx7Kq2Lm.js.map
